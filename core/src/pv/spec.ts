/** A parsed PV bound to its class: what the script holds and calls at run time. */
import type { PvSpec, PvValue, PvClassDef, PvIndex, TransformationDef, TransParam } from './types';
import type { RunCtx } from '../script/types';
import { SipParseError } from '../sip/types';
import { SiprError, ErrorCode } from '../errors';
import { recordParseError } from './error-info';

/** How an undefined PV prints inside a format (xlog's convention). */
export const NULL_TEXT = '<null>';

export interface BoundTrans {
  readonly def: TransformationDef;
  readonly params: readonly TransParam[];
}

export class BoundPv implements PvSpec {
  readonly writable: boolean;
  readonly className: string;
  readonly countable: boolean;
  constructor(
    readonly text: string,
    readonly def: PvClassDef,
    readonly inner: unknown,
    private readonly index: PvIndex | null,
    private readonly trans: readonly BoundTrans[] | null,
  ) {
    this.writable = def.set !== undefined && trans === null;
    this.className = def.name;
    this.countable = def.count !== undefined && trans === null;
  }

  count(ctx: RunCtx): number {
    return this.countable ? this.def.count!(ctx, this.inner) : 0;
  }

  get(ctx: RunCtx): PvValue {
    const v = this.raw(ctx);
    return v === null || this.trans === null ? v : this.transform(ctx, v);
  }

  /**
   * Text inside a format: an undefined PV prints `<null>`, one with transformations that fail (or
   * get no input) prints nothing — xlog's output in both cases.
   */
  print(ctx: RunCtx): string {
    const v = this.raw(ctx);
    if (v === null) return this.trans === null ? NULL_TEXT : '';
    if (this.trans === null) return typeof v === 'string' ? v : String(v);
    const t = this.transform(ctx, v);
    return t === null ? '' : typeof t === 'string' ? t : String(t);
  }

  private raw(ctx: RunCtx): PvValue {
    try {
      return this.def.get(ctx, this.inner, this.index);
    } catch (e) {
      // a malformed header makes the PV undefined, as Kamailio's getters fail soft, and is $err.*
      if (e instanceof SipParseError) {
        recordParseError(ctx, e);
        return null;
      }
      throw e;
    }
  }

  private transform(ctx: RunCtx, v: PvValue): PvValue {
    const trans = this.trans!;
    for (let i = 0; i < trans.length && v !== null; i++) v = trans[i].def.apply(ctx, v, trans[i].params);
    return v;
  }

  set(ctx: RunCtx, value: PvValue): void {
    if (!this.writable) throw new SiprError(ErrorCode.PV_WRITE, `'${this.text}' is read-only`);
    this.def.set!(ctx, this.inner, this.index, value);
  }
}

/** Value of a transformation parameter as a string ('' when its PV is null). */
export function paramStr(ctx: RunCtx, p: TransParam): string {
  const v = p.spec === null ? p.value : p.spec.get(ctx);
  return typeof v === 'string' ? v : v === null ? '' : '' + v;
}

/** Value of a transformation parameter as an int (0 when not a number). */
export function paramInt(ctx: RunCtx, p: TransParam): number {
  if (p.spec === null) return typeof p.value === 'number' ? p.value : parseInt(p.value, 10) | 0;
  const v = p.spec.get(ctx);
  return typeof v === 'number' ? v : v === null ? 0 : parseInt(v, 10) | 0;
}
