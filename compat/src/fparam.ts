/**
 * Fixed-up parameters: what a fixup turns a script literal into, read per message with
 * get_str_fparam / get_int_fparam (SER names) or fixup_get_svalue / fixup_get_ivalue (Kamailio
 * names). A constant reads without allocating; a PV or format is evaluated on the message.
 */
import type { Core, PvFormat, PvRegistryApi, PvSpec, PvValue, RunCtx } from '@sipr/core';

/** What a select lookup hands back once parsed (the select registry's compiled form). */
export interface SelectLike {
  get(ctx: RunCtx): PvValue;
}

export type FParamKind = 'int' | 'str' | 'pv' | 'avp' | 'select' | 'pve';

export class FParam {
  private constructor(
    /** the literal as written in the script */
    readonly orig: string,
    readonly kind: FParamKind,
    private readonly num: number,
    private readonly text: string,
    private readonly spec: PvSpec | SelectLike | null,
    private readonly format: PvFormat | null,
  ) {}

  static int(orig: string, n: number): FParam { return new FParam(orig, 'int', n, String(n), null, null); }
  static str(orig: string): FParam { return new FParam(orig, 'str', NaN, orig, null, null); }
  static pv(orig: string, spec: PvSpec, kind: 'pv' | 'avp' = 'pv'): FParam { return new FParam(orig, kind, NaN, orig, spec, null); }
  static select(orig: string, sel: SelectLike): FParam { return new FParam(orig, 'select', NaN, orig, sel, null); }
  static format(orig: string, f: PvFormat): FParam { return new FParam(orig, 'pve', NaN, orig, null, f); }

  /** The number of an integer constant, null for every other kind (known at start). */
  constant(): number | null {
    return this.kind === 'int' ? this.num : null;
  }

  /** The value as a string; null when a variable is unset. */
  str(ctx: RunCtx): string | null {
    switch (this.kind) {
      case 'int':
      case 'str':
        return this.text;
      case 'pve':
        return this.format!.print(ctx);
      default: {
        const v = this.spec!.get(ctx);
        return v === null ? null : typeof v === 'number' ? String(v) : v;
      }
    }
  }

  /**
   * The value as an integer; null when unset or not a number. A variable must hold an integer: a
   * string value, even "404", does not convert (Kamailio's get_int_fparam: "Could not convert PV
   * to int"); literal text and formats are parsed.
   */
  int(ctx: RunCtx): number | null {
    switch (this.kind) {
      case 'int':
        return this.num;
      case 'str':
        return parseInteger(this.text);
      case 'pve':
        return parseInteger(this.format!.print(ctx));
      default: {
        const v = this.spec!.get(ctx);
        return typeof v === 'number' ? v : null;
      }
    }
  }
}

function parseInteger(s: string): number | null {
  return /^\s*[+-]?\d+\s*$/.test(s) ? parseInt(s, 10) : null;
}

export const get_str_fparam = (ctx: RunCtx, p: FParam): string | null => p.str(ctx);
export const get_int_fparam = (ctx: RunCtx, p: FParam): number | null => p.int(ctx);
export const fixup_get_svalue = get_str_fparam;
export const fixup_get_ivalue = get_int_fparam;

/** The PV registry once the pv layer provides it (a clear error before that). */
export function pvApi(core: Core): PvRegistryApi {
  const pv = core.pv as unknown as Partial<PvRegistryApi>;
  if (typeof pv.parse !== 'function' || typeof pv.parseFormat !== 'function') {
    throw new Error('pseudo-variables are not available in this core');
  }
  return pv as PvRegistryApi;
}

/** The select registry's parser, when the core has one. */
export function parseSelect(core: Core, text: string): SelectLike {
  const sel = core.selects as unknown as { parse?: (t: string) => SelectLike };
  if (typeof sel.parse !== 'function') throw new Error('selects are not available in this core');
  return sel.parse(text);
}
