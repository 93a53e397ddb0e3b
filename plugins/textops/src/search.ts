/** search/replace/subst on the headers, the body and the R-URI. */
import type { RunCtx, SipMessage, SipMsg } from '@sipr/core';
import { bodyStart, execFrom, messageText } from './text';
import { matches, replacement, substString, type Subst } from './subst';
import { currentUser, setUser } from './ruri';


export function search(ctx: RunCtx, re: RegExp): number {
  return execFrom(re, messageText(ctx.msg), 0) ? 1 : -1;
}

export function searchBody(ctx: RunCtx, re: RegExp): number {
  const from = bodyStart(ctx.msg);
  const text = messageText(ctx.msg);
  return from < text.length && execFrom(re, text, from) ? 1 : -1;
}

export function appendAfterMatch(msg: SipMessage, re: RegExp, from: number, txt: string): number {
  const text = messageText(msg);
  if (from >= text.length) return -1;
  const m = execFrom(re, text, from);
  if (!m) return -1;
  const at = m.index + m[0].length;
  (msg as SipMsg).replaceRange(at, at, txt);
  return 1;
}

export function replaceFrom(ctx: RunCtx, re: RegExp, from: number, txt: string, all: boolean): number {
  const msg = ctx.msg as SipMsg;
  const whole = messageText(msg);
  if (from >= whole.length) return -1;
  // without REG_NEWLINE the part searched is a string of its own: ^ is its start only
  const text = re.multiline ? whole : whole.slice(from);
  const base = re.multiline ? 0 : from;
  let rc = -1;
  let at = re.multiline ? from : 0;
  let m: RegExpExecArray | null;
  while (at < text.length && (m = execFrom(re, text, at)) !== null) {
    if (m[0].length === 0) {
      ctx.core.log.error('textops: matched string is empty... invalid regexp?');
      return -1;
    }
    msg.replaceRange(base + m.index, base + m.index + m[0].length, txt);
    rc = 1;
    if (!all) break;
    at = m.index + m[0].length;
  }
  return rc;
}

export function substFrom(ctx: RunCtx, s: Subst, from: number): number {
  const msg = ctx.msg as SipMsg;
  const text = messageText(msg);
  if (from >= text.length) return -1;
  // the expression sees the text from `from` on as a whole string: ^ without s is its start
  const part = text.slice(from);
  let rc = -1;
  for (const m of matches(s, part)) {
    msg.replaceRange(from + m.index, from + m.index + m[0].length, replacement(s, m, ctx));
    rc = 1;
  }
  return rc;
}

export function substUri(ctx: RunCtx, s: Subst): number {
  const msg = ctx.msg;
  const out = substString(s, msg.newUri ?? msg.ruri, ctx);
  if (out === null) return -1;
  msg.newUri = out;
  return 1;
}

export function substUser(ctx: RunCtx, s: Subst): number {
  let user: string;
  try {
    user = currentUser(ctx);
  } catch {
    return -1;
  }
  const out = substString(s, user, ctx);
  if (out === null) return -1;
  return setUser(ctx, out);
}
