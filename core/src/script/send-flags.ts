/**
 * set_forward_no_connect() / set_forward_close() and set_reply_no_connect() / set_reply_close()
 * (cfg-language.md §7): the script marks the current message; whoever sends for it on a stream
 * applies the marks. The destination is copied only when a mark is set (it may be a shared one).
 */
import type { Destination } from '../transport/types';
import type { RunCtx } from './types';

export const FORWARD_NO_CONNECT = 'core.forward_no_connect';
export const FORWARD_CLOSE = 'core.forward_close';
export const REPLY_NO_CONNECT = 'core.reply_no_connect';
export const REPLY_CLOSE = 'core.reply_close';

/** A forwarded request (stateless, or a tm branch) of this run. */
export function withForwardFlags(ctx: RunCtx, dst: Destination): Destination {
  return marked(ctx, dst, FORWARD_NO_CONNECT, FORWARD_CLOSE);
}

/** A reply to the current request (sl, tm). */
export function withReplyFlags(ctx: RunCtx, dst: Destination): Destination {
  return marked(ctx, dst, REPLY_NO_CONNECT, REPLY_CLOSE);
}

function marked(ctx: RunCtx, dst: Destination, noConnectKey: string, closeKey: string): Destination {
  const s = ctx.slots;
  if (s.size === 0) return dst;
  const noConnect = s.get(noConnectKey) === true;
  const close = s.get(closeKey) === true;
  if (!noConnect && !close) return dst;
  const out = { ...dst };
  if (noConnect) out.noConnect = true;
  if (close) out.close = true;
  return out;
}
