/**
 * Pseudo-variable API. Owner: the pv layer (core/src/pv). The script compiler asks the registry
 * to parse `$name(inner)[index]{trans}` once at start and calls get/set at run time.
 */
import type { RunCtx } from '../script/types';

/** undef (null), int (number, 32-bit) or str (string). */
export type PvValue = null | number | string;

export interface PvSpec {
  /** Text as written, for messages. */
  readonly text: string;
  readonly writable: boolean;
  get(ctx: RunCtx): PvValue;
  /** Throws (or returns <0) on a failed write; null means delete/reset. */
  set(ctx: RunCtx, value: PvValue): void;
}

/** A string with embedded PVs, e.g. an xlog format or "sip:$rU@$fd". */
export interface PvFormat {
  readonly text: string;
  /** true when the text has no PVs (print() always returns text). */
  readonly isStatic: boolean;
  print(ctx: RunCtx): string;
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
}

/** `[n]`, `[-n]`, `[*]`, or an index taken from another PV. */
export type PvIndex = { kind: 'n'; n: number } | { kind: 'all' } | { kind: 'pv'; spec: PvSpec };

export interface PvRegistryApi {
  registerClass(def: PvClassDef): void;
  /** Parse one PV; throws SiprError on an unknown class or bad syntax. */
  parse(text: string): PvSpec;
  parseFormat(text: string): PvFormat;
  has(className: string): boolean;
}
