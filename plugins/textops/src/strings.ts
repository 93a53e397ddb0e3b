/** String tests on values that may hold pseudo-variables. */
import type { FixupSite, RunCtx } from '@sipr/core';
import { fixup_spve_null, type FParam } from '@sipr/compat';

function strOf(ctx: RunCtx, p: FParam, fn: string): string | null {
  const s = p.str(ctx);
  if (s === null) ctx.core.log.error(`${fn}: cannot get the parameter value`);
  return s;
}

export function cmpStr(ctx: RunCtx, a: FParam, b: FParam): number {
  const x = strOf(ctx, a, 'cmp_str');
  const y = strOf(ctx, b, 'cmp_str');
  if (x === null || y === null) return -2;
  return x === y ? 1 : -1;
}

export function cmpIstr(ctx: RunCtx, a: FParam, b: FParam): number {
  const x = strOf(ctx, a, 'cmp_istr');
  const y = strOf(ctx, b, 'cmp_istr');
  if (x === null || y === null) return -2;
  return x.toLowerCase() === y.toLowerCase() ? 1 : -1;
}

export function startsWith(ctx: RunCtx, a: FParam, b: FParam): number {
  const x = strOf(ctx, a, 'starts_with');
  const y = strOf(ctx, b, 'starts_with');
  if (x === null || y === null) return -2;
  return x.startsWith(y) ? 1 : -1;
}

const WS = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function inList(ctx: RunCtx, subject: FParam, list: FParam, sep: string): number {
  const s = strOf(ctx, subject, 'in_list');
  const l = strOf(ctx, list, 'in_list');
  if (s === null || l === null || s === '') return -1;
  for (const item of l.split(sep)) if (item.replace(WS, '') === s) return 1;
  return -1;
}

export function inListFixup(value: string | null, paramNo: number, site: FixupSite): unknown {
  if (paramNo === 3) {
    if (value === null || value.length !== 1) throw new Error('invalid separator parameter');
    return value;
  }
  return fixup_spve_null(value, 1, site);
}
