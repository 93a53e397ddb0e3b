/**
 * Registry of PV classes and transformations. The config compiler parses every `$...` through it
 * once at start; the returned specs are what runs per message.
 */
import type { Core, CompatMode } from '../core';
import type { AvpStores } from '../script/types';
import type {
  PvClassDef, PvFormat, PvIndex, PvRegistryApi, PvSpec, TransformationDef, TransParam,
} from './types';
import { PvError } from './error';
import { scanPv, skipBalanced, type RawPv } from './scan';
import { BoundPv, type BoundTrans } from './spec';
import { Format } from './format';
import { parseSerIndex, serAvpClass, serAvpReadOnlyClass, serPrefix, type SerAvpRef } from './avp';
import { SiprError, ErrorCode } from '../errors';
import { strictInt } from './value';
import { registerCoreClasses } from './core-classes';
import { registerStringTransformations } from './trans/string';
import { registerUriTransformations } from './trans/uri';
import { registerParamTransformations } from './trans/param';
import { registerNameaddrTransformations } from './trans/nameaddr';
import { registerLineTransformations } from './trans/line';
import { registerReTransformations } from './trans/re';

export class PvRegistry implements PvRegistryApi {
  private readonly classes = new Map<string, PvClassDef>();
  private readonly transformations = new Map<string, TransformationDef>();

  constructor(readonly core: Core) {
    registerCoreClasses(this);
    registerStringTransformations(this);
    registerUriTransformations(this);
    registerParamTransformations(this);
    registerNameaddrTransformations(this);
    registerLineTransformations(this);
    registerReTransformations(this);
  }

  registerClass(def: PvClassDef): void {
    if (this.classes.has(def.name)) throw new SiprError(ErrorCode.PV_DUPLICATE, `pseudo-variable class '$${def.name}' is already registered`);
    this.classes.set(def.name, def);
  }

  registerTransformation(def: TransformationDef): void {
    const key = `${def.cls}.${def.name}`;
    if (this.transformations.has(key)) throw new SiprError(ErrorCode.PV_DUPLICATE, `transformation '{${key}}' is already registered`);
    this.transformations.set(key, def);
  }

  has(className: string): boolean {
    return this.classes.has(className);
  }

  /** Empty until a PV writes: the lists are created on first use (storesOf / xavpsOf). */
  newStores(): AvpStores {
    return { avps: null, xavps: null };
  }

  parse(text: string, mode: CompatMode = this.core.compatMode): PvSpec {
    if (text[0] !== '$') throw new PvError(`'${text}' is not a pseudo-variable (must start with '$')`);
    const { spec, end } = this.parseAt(text, 0, mode);
    if (end !== text.length) throw new PvError(`unexpected '${text.slice(end)}' after '${text.slice(0, end)}'`, end);
    return spec;
  }

  /**
   * Offset just after the PV starting at text[start] (the config lexer uses this to cut a `$...`
   * token). Throws PvError on a syntax error.
   */
  pvEnd(text: string, start: number, mode: CompatMode = this.core.compatMode): number {
    return scanPv(text, start, (n) => this.serTail(n, mode, false)).end;
  }

  /**
   * Formats always look PV classes up first, even in #!SER mode (Kamailio's format parser knows no
   * modes); a name no class has is a SER AVP outside #!KAMAILIO.
   */
  parseFormat(text: string, compat: CompatMode = this.core.compatMode): PvFormat {
    const mode = compat === 'ser' ? 'all' : compat;
    const parts: (string | BoundPv)[] = [];
    let lit = '';
    let i = 0;
    while (i < text.length) {
      const d = text.indexOf('$', i);
      if (d < 0) {
        lit += text.slice(i);
        break;
      }
      lit += text.slice(i, d);
      if (text[d + 1] === '$') {
        lit += '$';
        i = d + 2;
        continue;
      }
      const { spec, end } = this.parseAt(text, d, mode, true);
      if (lit) parts.push(lit);
      lit = '';
      parts.push(spec);
      i = end;
    }
    if (lit) parts.push(lit);
    return new Format(text, parts);
  }

  private isSerName(name: string, mode: CompatMode): boolean {
    return mode === 'ser' || (mode === 'all' && !this.classes.has(name));
  }

  /**
   * Whether a SER tail may follow `name` (`name.` for a track prefix such as `fu.`). In the config
   * `$fu.x` is an AVP; inside a format a class wins, so `$fu.x` prints `$fu` and then `.x`.
   */
  private serTail(name: string, mode: CompatMode, format: boolean): boolean {
    if (name.endsWith('.')) return !format || !this.classes.has(name.slice(0, -1));
    return this.isSerName(name, mode);
  }

  private parseAt(text: string, start: number, mode: CompatMode, format = false): { spec: BoundPv; end: number } {
    const raw = scanPv(text, start, (n) => this.serTail(n, mode, format));
    const pvText = text.slice(start, raw.end);
    try {
      return { spec: this.bind(raw, pvText, mode), end: raw.end };
    } catch (e) {
      if (e instanceof PvError) throw new PvError(e.message, start + e.offset, e.code);
      if (e instanceof SiprError) throw new PvError(`${pvText}: ${e.message}`, start, e.code);
      throw e;
    }
  }

  private bind(raw: RawPv, text: string, mode: CompatMode): BoundPv {
    const serForm = raw.inner === null && !raw.bracketed && raw.name !== '?';
    if (raw.track !== null || (serForm && this.isSerName(raw.name, mode))) {
      if (mode === 'kamailio') throw new PvError(`unknown pseudo-variable '${text}'`);
      const pre = raw.track === null ? null : serPrefix(raw.track);
      const ref: SerAvpRef = { key: raw.name, track: pre?.track ?? 'f', cls: pre?.cls ?? null, index: parseSerIndex(raw.index) };
      return new BoundPv(text, ref.cls === 'd' || ref.cls === 'g' ? serAvpReadOnlyClass : serAvpClass, ref, null, null);
    }
    const def = this.classes.get(raw.name);
    if (!def) throw new PvError(`unknown pseudo-variable class '$${raw.name}' in '${text}'`, 1);
    if (def.inner === 'none' && raw.inner !== null) throw new PvError(`'$${raw.name}' takes no inner name: '${text}'`, 1);
    if (def.inner === 'required' && raw.inner === null) throw new PvError(`'$${raw.name}' needs an inner name: $${raw.name}(...)`, 1);
    if (raw.index !== null && !def.indexable) throw new PvError(`'$${raw.name}' has no index: '${text}'`, 1);
    let inner: unknown = raw.inner;
    if (raw.inner !== null && def.parseInner) {
      try {
        inner = def.parseInner(raw.inner, this);
      } catch (e) {
        if (e instanceof PvError || !(e instanceof Error)) throw e;
        throw new PvError(`${text}: ${e.message}`, 1);
      }
    }
    const index = raw.index === null ? null : this.parseIndex(raw.index, mode);
    const trans = raw.trans.length === 0 ? null : raw.trans.map((t) => this.bindTrans(t, mode));
    return new BoundPv(text, def, inner, index, trans);
  }

  private parseIndex(text: string, mode: CompatMode): PvIndex {
    const t = text.trim();
    if (t === '*') return { kind: 'all' };
    if (/^-?\d+$/.test(t)) return { kind: 'n', n: Number(t) };
    if (t.startsWith('$')) return { kind: 'pv', spec: this.parse(t, mode) };
    throw new PvError(`bad index '[${text}]' (expected n, -n, * or a pseudo-variable)`);
  }

  private bindTrans(text: string, mode: CompatMode): BoundTrans {
    const dot = text.indexOf('.');
    const comma = text.indexOf(',');
    const nameEnd = comma < 0 ? text.length : comma;
    const key = text.slice(0, nameEnd).trim();
    const def = dot < 0 ? undefined : this.transformations.get(key);
    if (!def) throw new PvError(`unknown transformation '{${key}}'`);
    const kinds = def.params ?? [];
    const params: TransParam[] = [];
    for (let i = comma + 1, k = 0; comma >= 0; k++) {
      if (k >= kinds.length) throw new PvError(`too many parameters in '{${text}}'`);
      const last = k === kinds.length - 1;
      const end = last ? text.length : kinds[k] === 'char' ? i + 1 : nextComma(text, i);
      if (end < text.length && text[end] !== ',') throw new PvError(`expected ',' after parameter ${k + 1} in '{${text}}'`);
      params.push(this.transParam(text.slice(i, end), kinds[k], key, mode));
      if (end >= text.length) break;
      i = end + 1;
    }
    if (params.length < kinds.length - (def.optional ?? 0))
      throw new PvError(`'{${key}}' needs ${kinds.length} parameter(s): '{${text}}'`);
    try {
      def.validate?.(params, this);
    } catch (e) {
      throw new PvError(`'{${text}}': ${(e as Error).message}`);
    }
    return { def, params };
  }

  private transParam(p: string, kind: 'int' | 'str' | 'char', key: string, mode: CompatMode): TransParam {
    if (p.startsWith('$') && p.length > 1) return { value: null, spec: this.parse(p, mode) };
    if (kind === 'int') {
      const n = strictInt(p.trim());
      if (n === null) throw new PvError(`'{${key}}' expects an integer parameter, got '${p}'`);
      return { value: n, spec: null };
    }
    if (kind === 'char' && p.length !== 1) throw new PvError(`'{${key}}' expects a single character, got '${p}'`);
    return { value: p, spec: null };
  }
}

/** Next ',' outside `$(...)`, or the end. */
function nextComma(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    if (text[j] === '(') j = skipBalanced(text, j, '(', ')') - 1;
    else if (text[j] === ',') return j;
  }
  return text.length;
}
