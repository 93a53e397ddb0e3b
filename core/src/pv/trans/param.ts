/**
 * `{param.*}`: a `;`-separated parameter list such as `a=1;b;c="x;y"` (a leading `;` is allowed).
 * A missing parameter reads as '' (as in Kamailio), not as a failure.
 */
import type { PvRegistryApi, PvValue, TransformationDef, TransParam } from '../types';
import type { RunCtx } from '../../script/types';
import { paramInt, paramStr } from '../spec';

export interface ListParam {
  name: string;
  /** '' for a flag without `=value`; quotes removed */
  value: string;
}

/** Lenient split: quoted values may hold `;`; empty elements are skipped. */
export function splitParams(s: string, sep = ';'): ListParam[] {
  const out: ListParam[] = [];
  let i = 0;
  while (i < s.length) {
    let j = i;
    let quoted = false;
    while (j < s.length && (quoted || s[j] !== sep)) {
      if (s[j] === '"' && s[j - 1] !== '\\') quoted = !quoted;
      j++;
    }
    const part = s.slice(i, j).trim();
    if (part) {
      const eq = part.indexOf('=');
      if (eq < 0) out.push({ name: part, value: '' });
      else {
        let value = part.slice(eq + 1).trim();
        if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') value = value.slice(1, -1);
        out.push({ name: part.slice(0, eq).trim(), value });
      }
    }
    i = j + 1;
  }
  return out;
}

function at(list: ListParam[], i: number): ListParam | undefined {
  return list[i < 0 ? list.length + i : i];
}

type ParamFn = (list: ListParam[], ctx: RunCtx, p: readonly TransParam[]) => PvValue;

function def(name: string, fn: ParamFn, params?: TransformationDef['params']): TransformationDef {
  return { cls: 'param', name, params, apply: (ctx, v, p) => fn(splitParams(typeof v === 'string' ? v : String(v)), ctx, p) };
}

export const paramTransformations: TransformationDef[] = [
  def('value', (l, ctx, p) => {
    const name = paramStr(ctx, p[0]).toLowerCase();
    const f = l.find((x) => x.name.toLowerCase() === name);
    return f ? f.value : '';
  }, ['str']),
  def('valueat', (l, ctx, p) => at(l, paramInt(ctx, p[0]))?.value ?? '', ['int']),
  def('name', (l, ctx, p) => at(l, paramInt(ctx, p[0]))?.name ?? '', ['int']),
  def('count', (l) => l.length),
];

export function registerParamTransformations(reg: PvRegistryApi): void {
  for (const d of paramTransformations) reg.registerTransformation(d);
}
