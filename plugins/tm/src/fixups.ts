/** Parameter fixups of tm's script functions: route names checked at start, PVs parsed once. */
import { SiprError, ErrorCode, type ScriptParam, type FixupSite, type RouteKind, type RunCtx, type PvFormat } from '@sipr/core';

/** A parameter that may hold PVs: printed per call, or constant. */
export type TextParam = (ctx: RunCtx) => string;

export function textParam(p: ScriptParam, site: FixupSite): TextParam {
  const text = String(p.value);
  let f: PvFormat;
  try {
    f = site.core.pv.parseFormat(text);
  } catch (e) {
    throw new SiprError(ErrorCode.FIXUP, `${site.fn}: bad parameter "${text}": ${e instanceof Error ? e.message : String(e)}`, p.pos);
  }
  if (f.isStatic) return () => text;
  return (ctx) => f.print(ctx);
}

/** A route name that must exist in the config (t_on_failure("X") needs failure_route[X]). */
export function routeParam(kind: RouteKind, label: string) {
  return (params: readonly ScriptParam[], site: FixupSite): unknown[] => {
    const name = String(params[0].value);
    const script = site.core.script;
    if (script && !script.has(kind, name)) {
      throw new SiprError(ErrorCode.FIXUP, `${site.fn}: ${label}[${name}] is not defined`, params[0].pos);
    }
    return [name];
  };
}

export function intParam(p: ScriptParam, site: FixupSite, min = 0): number {
  const n = typeof p.value === 'number' ? p.value : Number(p.value);
  if (!Number.isInteger(n) || n < min) throw new SiprError(ErrorCode.FIXUP, `${site.fn}: "${p.value}" is not a valid number`, p.pos);
  return n;
}

export function regexParam(p: ScriptParam, site: FixupSite): RegExp {
  try {
    // Kamailio matches POSIX extended regexes anywhere in the status text
    return new RegExp(String(p.value));
  } catch (e) {
    throw new SiprError(ErrorCode.FIXUP, `${site.fn}: bad regular expression "${p.value}": ${e instanceof Error ? e.message : String(e)}`, p.pos);
  }
}
