/** Script flags ($sf) and branch flags ($bf of branch 0, the flags of appended branches). */
import type { RunCtx } from '@sipr/core';
import type { FParam } from '@sipr/compat';

const MAX_FLAG = 31;

function flagOf(ctx: RunCtx, p: FParam, fn: string): number | null {
  const n = p.int(ctx);
  if (n === null || n < 0 || n > MAX_FLAG) {
    ctx.core.log.error(`${fn}: invalid flag ${n === null ? p.orig : n}`);
    return null;
  }
  return n;
}

export function setsflag(ctx: RunCtx, f: FParam): number {
  const n = flagOf(ctx, f, 'setsflag');
  if (n === null) return -1;
  ctx.sflags |= 1 << n;
  return 1;
}

export function resetsflag(ctx: RunCtx, f: FParam): number {
  const n = flagOf(ctx, f, 'resetsflag');
  if (n === null) return -1;
  ctx.sflags &= ~(1 << n);
  return 1;
}

export function issflagset(ctx: RunCtx, f: FParam): number {
  const n = flagOf(ctx, f, 'issflagset');
  if (n === null) return -1;
  return ctx.sflags & (1 << n) ? 1 : -1;
}

/** Branch 0 is the R-URI branch (msg.bflags); 1..n are the appended branches. */
function branchFlags(ctx: RunCtx, b: FParam | undefined, fn: string): { get(): number; set(v: number): void } | null {
  const idx = b === undefined ? 0 : b.int(ctx);
  if (idx === null || idx < 0 || idx > ctx.branches.length) {
    ctx.core.log.error(`${fn}: no branch ${idx === null ? b!.orig : idx}`);
    return null;
  }
  if (idx === 0) return { get: () => ctx.msg.bflags, set: (v) => { ctx.msg.bflags = v; } };
  const br = ctx.branches[idx - 1];
  return { get: () => br.flags, set: (v) => { br.flags = v; } };
}

export function setbflag(ctx: RunCtx, f: FParam, b?: FParam): number {
  const n = flagOf(ctx, f, 'setbflag');
  const t = branchFlags(ctx, b, 'setbflag');
  if (n === null || !t) return -1;
  t.set(t.get() | (1 << n));
  return 1;
}

export function resetbflag(ctx: RunCtx, f: FParam, b?: FParam): number {
  const n = flagOf(ctx, f, 'resetbflag');
  const t = branchFlags(ctx, b, 'resetbflag');
  if (n === null || !t) return -1;
  t.set(t.get() & ~(1 << n));
  return 1;
}

export function isbflagset(ctx: RunCtx, f: FParam, b?: FParam): number {
  const n = flagOf(ctx, f, 'isbflagset');
  const t = branchFlags(ctx, b, 'isbflagset');
  if (n === null || !t) return -1;
  return t.get() & (1 << n) ? 1 : -1;
}
