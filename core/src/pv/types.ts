/**
 * Pseudo-variable API. Owner: the pv layer (core/src/pv). The script compiler asks the registry
 * to parse `$name(inner)[index]{trans}` once at start and calls get/set at run time.
 */
import type { RunCtx } from '../script/types';
import type { CompatMode } from '../core';

/** undef (null), int (number, 32-bit) or str (string). */
export type PvValue = null | number | string;

export interface PvSpec {
  /** Text as written, for messages. */
  readonly text: string;
  readonly writable: boolean;
  /** Class name (`ru`, `avp`, ...); SER-style AVPs report `avp`. */
  readonly className: string;
  get(ctx: RunCtx): PvValue;
  /** Throws (or returns <0) on a failed write; null means delete/reset. */
  set(ctx: RunCtx, value: PvValue): void;
  /** true when count() works: the class keeps several values per name (AVPs, XAVPs). */
  readonly countable?: boolean;
  /** How many values the PV has (`$cnt(...)`); 0 when not countable. */
  count?(ctx: RunCtx): number;
}

/** A string with embedded PVs, e.g. an xlog format or "sip:$rU@$fd". */
export interface PvFormat {
  readonly text: string;
  /** true when the text has no PVs (print() always returns text). */
  readonly isStatic: boolean;
  print(ctx: RunCtx): string;
  /** The spec when the whole text is exactly one PV (lets fixups keep int values). */
  readonly single: PvSpec | null;
}

/** A PV class a module contributes, e.g. `sht` for `$sht(t=>k)`. */
export interface PvClassDef {
  readonly name: string;
  /** 'none': `$name` only; 'required': `$name(inner)` only; 'optional': both */
  readonly inner: 'none' | 'required' | 'optional';
  readonly indexable?: boolean;
  /**
   * Parse the inner name once at start (throw to refuse). The result is passed to get/set.
   * Default: the inner text itself.
   */
  parseInner?(inner: string, registry: PvRegistryApi): unknown;
  get(ctx: RunCtx, inner: any, index: PvIndex | null): PvValue;
  set?(ctx: RunCtx, inner: any, index: PvIndex | null, value: PvValue): void;
  /** Number of values for `$cnt(...)`, for classes holding several per name. */
  count?(ctx: RunCtx, inner: any): number;
}

/** `[n]`, `[-n]`, `[*]`, or an index taken from another PV. */
export type PvIndex = { kind: 'n'; n: number } | { kind: 'all' } | { kind: 'pv'; spec: PvSpec };

/** A transformation parameter: a literal, or a PV read at run time. */
export type TransParam = { readonly value: string | number; readonly spec: null } | { readonly value: null; readonly spec: PvSpec };

/** `{class.name,params}`: e.g. `s.substr` with params kinds ['int', 'int']. */
export interface TransformationDef {
  /** `s`, `uri`, `param`, ... */
  readonly cls: string;
  /** `len`, `encode.hexa`, ... */
  readonly name: string;
  /** 'char': exactly one character taken literally (a separator); the last 'char' may be ','. */
  readonly params?: readonly ('int' | 'str' | 'char')[];
  /** How many of `params` may be left out at the end (default 0). */
  readonly optional?: number;
  /** Check literal params at start; throw to refuse the config. `registry` parses PVs inside them. */
  validate?(params: readonly TransParam[], registry: PvRegistryApi): void;
  /** Input is never null; return null for failure. */
  apply(ctx: RunCtx, value: string | number, params: readonly TransParam[]): PvValue;
}

export interface PvRegistryApi {
  registerClass(def: PvClassDef): void;
  registerTransformation(def: TransformationDef): void;
  /**
   * Parse one PV; throws PvError (a SiprError with the offset in text) on an unknown class or bad
   * syntax. mode defaults to core.compatMode.
   */
  parse(text: string, mode?: CompatMode): PvSpec;
  parseFormat(text: string, mode?: CompatMode): PvFormat;
  /** Offset just after the PV that starts at text[start] (`$`); throws PvError on bad syntax. */
  pvEnd(text: string, start: number, mode?: CompatMode): number;
  has(className: string): boolean;
  /** Fresh AVP/XAVP lists for a RunCtx (ctx.stores). */
  newStores(): import('../script/types').AvpStores;
}
