/** Adding, removing and checking header fields; headers for the replies. */
import type { RunCtx, SipMsg } from '@sipr/core';
import type { FParam } from '@sipr/compat';
import { execFrom } from './text';


export function addHeader(ctx: RunCtx, value: FParam, anchor: string | undefined, append: boolean): number {
  const msg = ctx.msg as SipMsg;
  const text = value.str(ctx);
  if (text === null) {
    ctx.core.log.error('textops: cannot print the header format');
    return -1;
  }
  const h = anchor === undefined ? undefined : msg.find(anchor);
  if (append) {
    if (h) msg.insertAfter(h, text);
    else msg.appendHeader(text);
  } else if (h) msg.insertBefore(h, text);
  else msg.prependHeader(text);
  return 1;
}

export function removeHf(ctx: RunCtx, key: string): number {
  return (ctx.msg as SipMsg).removeHeaders(key) > 0 ? 1 : -1;
}

export function removeHfRe(ctx: RunCtx, re: RegExp): number {
  const msg = ctx.msg as SipMsg;
  let n = 0;
  for (const h of msg.headers) {
    if (execFrom(re, h.name, 0)) {
      msg.removeHeader(h);
      n++;
    }
  }
  return n > 0 ? 1 : -1;
}

export function isPresentHf(ctx: RunCtx, key: string): number {
  return (ctx.msg as SipMsg).find(key) ? 1 : -1;
}

export function isPresentHfRe(ctx: RunCtx, re: RegExp): number {
  for (const h of ctx.msg.headers) if (execFrom(re, h.name, 0)) return 1;
  return -1;
}

export function appendToReply(ctx: RunCtx, value: FParam): number {
  const text = value.str(ctx);
  if (text === null) {
    ctx.core.log.error('append_to_reply: cannot print the format');
    return -1;
  }
  (ctx.msg as SipMsg).addReplyHeader(text);
  return 1;
}

export function appendUriHf(ctx: RunCtx, prefix: string, suffix: string): number {
  (ctx.msg as SipMsg).appendHeader(prefix + ctx.msg.ruri + suffix);
  return 1;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? '0' + n : String(n));

/** RFC 1123 date as Kamailio's strftime("%a, %d %b %Y %H:%M:%S GMT") writes it. */
export function dateHeader(d = new Date()): string {
  return `Date: ${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT\r\n`;
}

export function appendTime(ctx: RunCtx): number {
  (ctx.msg as SipMsg).addReplyHeader(dateHeader());
  return 1;
}

export function appendTimeToRequest(ctx: RunCtx): number {
  const msg = ctx.msg as SipMsg;
  const first = msg.headers[0];
  if (!first) return -1;
  msg.insertAfter(first, dateHeader());
  return 1;
}
