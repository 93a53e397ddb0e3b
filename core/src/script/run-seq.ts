/** Running action lists: stop at a raised run flag; switch to async only when an action returned a Promise. */
import type { RunCtx } from './types';
import type { Fn } from './env';

export function runSeq(fns: readonly Fn[], start: number, ctx: RunCtx): number | Promise<number> {
  let r = 1;
  for (let i = start; i < fns.length; i++) {
    const x = fns[i](ctx);
    if (typeof x !== 'number') return resume(fns, i, x, ctx);
    r = x;
    if (ctx.runFlags) break;
  }
  return r;
}

async function resume(fns: readonly Fn[], i: number, p: Promise<number>, ctx: RunCtx): Promise<number> {
  let r = await p;
  if (ctx.runFlags) return r;
  for (let k = i + 1; k < fns.length; k++) {
    r = await fns[k](ctx);
    if (ctx.runFlags) break;
  }
  return r;
}

export function seqFn(fns: readonly Fn[]): Fn {
  if (fns.length === 1) return fns[0];
  if (fns.length === 0) return () => 1;
  return (ctx) => runSeq(fns, 0, ctx);
}
