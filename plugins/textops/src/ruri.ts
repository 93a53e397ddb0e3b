/** The user part of the current Request-URI, and rewriting it (as $rU = ... does). */
import { parseUri, rewriteUri, type RunCtx } from '@sipr/core';

export function currentUser(ctx: RunCtx): string {
  const msg = ctx.msg;
  return msg.newUri !== null ? parseUri(msg.newUri).user : msg.uri().user;
}

export function setUser(ctx: RunCtx, user: string): number {
  const msg = ctx.msg;
  try {
    msg.newUri = rewriteUri(msg.newUri ?? msg.ruri, 'user', user);
    return 1;
  } catch {
    ctx.core.log.error('textops: cannot rewrite the user of a bad Request-URI');
    return -1;
  }
}
