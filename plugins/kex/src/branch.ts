/** km_append_branch, the destination URI functions and pv_printf. */
import type { PvSpec, RunCtx } from '@sipr/core';
import type { FParam } from '@sipr/compat';

/** "0.5" -> 500, "1" -> 1000 (q in thousandths, as Kamailio keeps it); null when not a q-value. */
export function parseQ(text: string): number | null {
  if (!/^\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/.test(text)) return null;
  return Math.round(Number(text) * 1000);
}

/** km_append_branch([uri[, q]]): a new branch; without uri the current R-URI with $du, path and branch flags. */
export function appendBranch(ctx: RunCtx, uri?: FParam, q?: FParam): number {
  const msg = ctx.msg;
  let target = msg.newUri ?? msg.ruri;
  let qv = -1;
  if (uri !== undefined) {
    const u = uri.str(ctx);
    if (!u) {
      ctx.core.log.error('km_append_branch: empty uri');
      return -1;
    }
    target = u;
  }
  if (q !== undefined) {
    const t = q.str(ctx);
    const n = t === null ? null : parseQ(t);
    if (n === null) {
      ctx.core.log.error(`km_append_branch: bad q value ${t}`);
      return -1;
    }
    qv = n;
  }
  const own = uri === undefined;
  ctx.branches.push({
    uri: target,
    dstUri: own ? msg.dstUri : null,
    path: own ? msg.path : null,
    q: qv,
    flags: own ? msg.bflags : 0,
    socket: own ? msg.forceSocket : null,
  });
  return 1;
}

export function setDstUri(ctx: RunCtx, uri: FParam): number {
  const u = uri.str(ctx);
  if (!u) {
    ctx.core.log.error('setdsturi: empty uri');
    return -1;
  }
  ctx.msg.dstUri = u;
  return 1;
}

export function resetDstUri(ctx: RunCtx): number {
  ctx.msg.dstUri = null;
  return 1;
}

export function isDstUriSet(ctx: RunCtx): number {
  return ctx.msg.dstUri ? 1 : -1;
}

export function pvPrintf(ctx: RunCtx, dst: PvSpec, fmt: FParam): number {
  const s = fmt.str(ctx);
  if (s === null) return -1;
  try {
    dst.set(ctx, s);
    return 1;
  } catch (e) {
    ctx.core.log.error(`pv_printf: cannot set ${dst.text}: ${(e as Error).message}`);
    return -1;
  }
}
