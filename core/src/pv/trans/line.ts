/** `{line.*}` (later Kamailio releases): a value as lines, e.g. a body or a multi-line header dump. */
import type { PvRegistryApi, TransformationDef, TransParam, PvValue } from '../types';
import type { RunCtx } from '../../script/types';
import { paramInt, paramStr } from '../spec';

/** Lines without their CR/LF; a trailing line break does not start another line. */
function lines(s: string): string[] {
  const l = s.split(/\r?\n/);
  if (l.length > 1 && l[l.length - 1] === '') l.pop();
  return l;
}

type LineFn = (l: string[], ctx: RunCtx, p: readonly TransParam[]) => PvValue;

function def(name: string, fn: LineFn, params?: TransformationDef['params']): TransformationDef {
  return { cls: 'line', name, params, apply: (ctx, v, p) => fn(lines(typeof v === 'string' ? v : '' + v), ctx, p) };
}

export const lineTransformations: TransformationDef[] = [
  def('count', (l) => l.length),
  def('at', (l, ctx, p) => {
    const n = paramInt(ctx, p[0]);
    return l[n < 0 ? l.length + n : n] ?? null;
  }, ['int']),
  def('sw', (l, ctx, p) => {
    const prefix = paramStr(ctx, p[0]);
    return l.find((x) => x.startsWith(prefix)) ?? null;
  }, ['str']),
];

export function registerLineTransformations(reg: PvRegistryApi): void {
  for (const d of lineTransformations) reg.registerTransformation(d);
}
