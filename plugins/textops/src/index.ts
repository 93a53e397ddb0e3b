/**
 * textops: regex search and replace on the message, header add/remove/check, headers for replies.
 * Kamailio shape (modules_k/textops). Edits are message changes on the received bytes: later
 * reads in the same route still see the message as received, as in Kamailio, until textopsx's
 * msg_apply_changes().
 */
import { headerKey, type FixupSite, type RunCtx, type SipMessage, type SipMsg } from '@sipr/core';
import {
  defineKamailioModule, fixup_spve_null, fixup_spve_spve, fixup_str_str, FParam,
  ANY_ROUTE, REQUEST_ROUTE, FAILURE_ROUTE, BRANCH_ROUTE, ONREPLY_ROUTE,
} from '@sipr/compat';
import { bodyStart, compileRegex, execFrom, headersStart, messageText } from './text';
import { matches, parseSubst, replacement, substString, type Subst } from './subst';
import { currentUser, setUser } from './ruri';
import { parseMethods, methodMatches, type MethodSet } from './methods';
import { filterBody } from './body';
import { searchHf, substHf, whichFixup } from './hf';
import { isAudioOnHold } from './sdp';
import { isPrivacy, privacyFixup } from './privacy';

const REQ_FAIL_BRANCH = REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE;

const regexFixup = (value: string | null, paramNo: number) => (paramNo === 1 && value !== null ? compileRegex(value) : value);
const substFixup = (value: string | null, paramNo: number, site: FixupSite) => (paramNo === 1 && value !== null ? parseSubst(value, site.core) : value);

/** A header name: compact and long forms of known headers are the same header. */
function hnameFixup(value: string | null): string {
  if (!value) throw new Error('empty header name');
  if (!/^[!-9;-~]+$/.test(value)) throw new Error(`bad header name "${value}"`);
  return headerKey(value);
}
/** search_hf / subst_hf: header name, then the regex or substitution, then the field flag. */
function hfFixup(compile: (v: string, site: FixupSite) => unknown) {
  return (value: string | null, paramNo: number, site: FixupSite): unknown =>
    paramNo === 1 ? hnameFixup(value) : paramNo === 2 ? compile(value ?? '', site) : whichFixup(value);
}

const addHeaderFixup = (value: string | null, paramNo: number, site: FixupSite) => (paramNo === 2 ? hnameFixup(value) : fixup_spve_null(value, paramNo, site));

// ---- search / replace ------------------------------------------------------------------------

function search(ctx: RunCtx, re: RegExp): number {
  return execFrom(re, messageText(ctx.msg), 0) ? 1 : -1;
}

function searchBody(ctx: RunCtx, re: RegExp): number {
  const from = bodyStart(ctx.msg);
  const text = messageText(ctx.msg);
  return from < text.length && execFrom(re, text, from) ? 1 : -1;
}

function appendAfterMatch(msg: SipMessage, re: RegExp, from: number, txt: string): number {
  const text = messageText(msg);
  if (from >= text.length) return -1;
  const m = execFrom(re, text, from);
  if (!m) return -1;
  const at = m.index + m[0].length;
  (msg as SipMsg).replaceRange(at, at, txt);
  return 1;
}

function replaceFrom(ctx: RunCtx, re: RegExp, from: number, txt: string, all: boolean): number {
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

function substFrom(ctx: RunCtx, s: Subst, from: number): number {
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

function substUri(ctx: RunCtx, s: Subst): number {
  const msg = ctx.msg;
  const out = substString(s, msg.newUri ?? msg.ruri, ctx);
  if (out === null) return -1;
  msg.newUri = out;
  return 1;
}

function substUser(ctx: RunCtx, s: Subst): number {
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

// ---- headers -----------------------------------------------------------------------------------

function addHeader(ctx: RunCtx, value: FParam, anchor: string | undefined, append: boolean): number {
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

function removeHf(ctx: RunCtx, key: string): number {
  return (ctx.msg as SipMsg).removeHeaders(key) > 0 ? 1 : -1;
}

function removeHfRe(ctx: RunCtx, re: RegExp): number {
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

function isPresentHf(ctx: RunCtx, key: string): number {
  return (ctx.msg as SipMsg).find(key) ? 1 : -1;
}

function isPresentHfRe(ctx: RunCtx, re: RegExp): number {
  for (const h of ctx.msg.headers) if (execFrom(re, h.name, 0)) return 1;
  return -1;
}

function appendToReply(ctx: RunCtx, value: FParam): number {
  const text = value.str(ctx);
  if (text === null) {
    ctx.core.log.error('append_to_reply: cannot print the format');
    return -1;
  }
  (ctx.msg as SipMsg).addReplyHeader(text);
  return 1;
}

function appendUriHf(ctx: RunCtx, prefix: string, suffix: string): number {
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

function appendTime(ctx: RunCtx): number {
  (ctx.msg as SipMsg).addReplyHeader(dateHeader());
  return 1;
}

function appendTimeToRequest(ctx: RunCtx): number {
  const msg = ctx.msg as SipMsg;
  const first = msg.headers[0];
  if (!first) return -1;
  msg.insertAfter(first, dateHeader());
  return 1;
}

// ---- body, method, strings -------------------------------------------------------------------

function setBody(ctx: RunCtx, body: FParam, ctype: FParam): number {
  const b = body.str(ctx);
  const ct = ctype.str(ctx);
  if (!b || !ct) {
    ctx.core.log.error('set_body: invalid body or content-type parameter');
    return -1;
  }
  (ctx.msg as SipMsg).setBody(b, ct);
  return 1;
}

/** has_body([mime]): a non-empty body, of that type when given (no Content-Type means SDP). */
function hasBody(ctx: RunCtx, mime?: string): number {
  const msg = ctx.msg as SipMsg;
  if (msg.body.length === 0) return -1;
  if (mime === undefined) return 1;
  let type: string;
  try {
    const ct = msg.contentType();
    type = ct ? ct.mediaType : 'application/sdp';
  } catch {
    ctx.core.log.error('has_body: failed to parse the Content-Type header');
    return -1;
  }
  return type === mime ? 1 : -1;
}

function mimeFixup(value: string | null, paramNo: number): unknown {
  if (paramNo !== 1 || value === null) return value;
  const t = value.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t)) throw new Error(`unsupported mime "${value}"`);
  return t;
}

function isMethod(ctx: RunCtx, set: MethodSet): number {
  return methodMatches(set, ctx.msg.method) ? 1 : -1;
}

function strOf(ctx: RunCtx, p: FParam, fn: string): string | null {
  const s = p.str(ctx);
  if (s === null) ctx.core.log.error(`${fn}: cannot get the parameter value`);
  return s;
}

function cmpStr(ctx: RunCtx, a: FParam, b: FParam): number {
  const x = strOf(ctx, a, 'cmp_str');
  const y = strOf(ctx, b, 'cmp_str');
  if (x === null || y === null) return -2;
  return x === y ? 1 : -1;
}

function cmpIstr(ctx: RunCtx, a: FParam, b: FParam): number {
  const x = strOf(ctx, a, 'cmp_istr');
  const y = strOf(ctx, b, 'cmp_istr');
  if (x === null || y === null) return -2;
  return x.toLowerCase() === y.toLowerCase() ? 1 : -1;
}

function startsWith(ctx: RunCtx, a: FParam, b: FParam): number {
  const x = strOf(ctx, a, 'starts_with');
  const y = strOf(ctx, b, 'starts_with');
  if (x === null || y === null) return -2;
  return x.startsWith(y) ? 1 : -1;
}

const WS = /^[ \t\r\n]+|[ \t\r\n]+$/g;

function inList(ctx: RunCtx, subject: FParam, list: FParam, sep: string): number {
  const s = strOf(ctx, subject, 'in_list');
  const l = strOf(ctx, list, 'in_list');
  if (s === null || l === null || s === '') return -1;
  for (const item of l.split(sep)) if (item.replace(WS, '') === s) return 1;
  return -1;
}

function inListFixup(value: string | null, paramNo: number, site: FixupSite): unknown {
  if (paramNo === 3) {
    if (value === null || value.length !== 1) throw new Error('invalid separator parameter');
    return value;
  }
  return fixup_spve_null(value, 1, site);
}

export default defineKamailioModule({
  name: 'textops',
  version: '0.1.0',
  cmds: [
    ['search', search, 1, regexFixup, null, ANY_ROUTE],
    ['search_body', searchBody, 1, regexFixup, null, ANY_ROUTE],
    ['search_append', (ctx: RunCtx, re: RegExp, txt: string) => appendAfterMatch(ctx.msg, re, headersStart(ctx.msg), txt), 2, regexFixup, null, ANY_ROUTE],
    ['search_append_body', (ctx: RunCtx, re: RegExp, txt: string) => appendAfterMatch(ctx.msg, re, bodyStart(ctx.msg), txt), 2, regexFixup, null, ANY_ROUTE],
    ['replace', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, headersStart(ctx.msg), txt, false), 2, regexFixup, null, ANY_ROUTE],
    ['replace_all', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, headersStart(ctx.msg), txt, true), 2, regexFixup, null, ANY_ROUTE],
    ['replace_body', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, bodyStart(ctx.msg), txt, false), 2, regexFixup, null, ANY_ROUTE],
    ['replace_body_all', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, bodyStart(ctx.msg), txt, true), 2, regexFixup, null, ANY_ROUTE],
    // the body as one string: '.' crosses lines, ^ only at its start (no REG_NEWLINE)
    ['replace_body_atonce', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, bodyStart(ctx.msg), txt, true), 2,
      (v: string | null, n: number) => (n === 1 && v !== null ? compileRegex(v, 'is') : v), null, ANY_ROUTE],
    ['subst', (ctx: RunCtx, s: Subst) => substFrom(ctx, s, headersStart(ctx.msg)), 1, substFixup, null, ANY_ROUTE],
    ['subst_body', (ctx: RunCtx, s: Subst) => substFrom(ctx, s, bodyStart(ctx.msg)), 1, substFixup, null, ANY_ROUTE],
    ['subst_uri', substUri, 1, substFixup, null, REQ_FAIL_BRANCH | ONREPLY_ROUTE],
    ['subst_user', substUser, 1, substFixup, null, REQ_FAIL_BRANCH | ONREPLY_ROUTE],
    ['append_to_reply', appendToReply, 1, fixup_spve_null, null, REQ_FAIL_BRANCH],
    ['append_hf', (ctx: RunCtx, v: FParam) => addHeader(ctx, v, undefined, true), 1, addHeaderFixup, null, ANY_ROUTE],
    ['append_hf', (ctx: RunCtx, v: FParam, h: string) => addHeader(ctx, v, h, true), 2, addHeaderFixup, null, ANY_ROUTE],
    ['insert_hf', (ctx: RunCtx, v: FParam) => addHeader(ctx, v, undefined, false), 1, addHeaderFixup, null, ANY_ROUTE],
    ['insert_hf', (ctx: RunCtx, v: FParam, h: string) => addHeader(ctx, v, h, false), 2, addHeaderFixup, null, ANY_ROUTE],
    ['append_urihf', appendUriHf, 2, fixup_str_str, null, REQ_FAIL_BRANCH],
    ['remove_hf', removeHf, 1, (v: string | null) => hnameFixup(v), null, ANY_ROUTE],
    ['remove_hf_re', removeHfRe, 1, regexFixup, null, ANY_ROUTE],
    ['is_present_hf', isPresentHf, 1, (v: string | null) => hnameFixup(v), null, ANY_ROUTE],
    ['is_present_hf_re', isPresentHfRe, 1, regexFixup, null, ANY_ROUTE],
    ['search_hf', searchHf, 3, hfFixup((v) => compileRegex(v)), null, ANY_ROUTE],
    ['subst_hf', substHf, 3, hfFixup((v, site) => parseSubst(v, site.core)), null, ANY_ROUTE],
    ['filter_body', filterBody, 1, fixup_str_str, null, ANY_ROUTE],
    ['append_time', appendTime, 0, null, null, REQ_FAIL_BRANCH],
    ['append_time_to_request', appendTimeToRequest, 0, null, null, ANY_ROUTE],
    ['set_body', setBody, 2, fixup_spve_spve, null, REQ_FAIL_BRANCH | ONREPLY_ROUTE],
    ['is_method', isMethod, 1, (v: string | null) => parseMethods(v ?? ''), null, ANY_ROUTE],
    ['has_body', (ctx: RunCtx) => hasBody(ctx), 0, null, null, ANY_ROUTE],
    ['has_body', hasBody, 1, mimeFixup, null, ANY_ROUTE],
    ['in_list', inList, 3, inListFixup, null, ANY_ROUTE],
    ['is_audio_on_hold', isAudioOnHold, 0, null, null, ANY_ROUTE],
    ['is_privacy', isPrivacy, 1, (v: string | null) => privacyFixup(v), null, ANY_ROUTE],
    ['cmp_str', cmpStr, 2, fixup_spve_spve, null, ANY_ROUTE],
    ['cmp_istr', cmpIstr, 2, fixup_spve_spve, null, ANY_ROUTE],
    ['starts_with', startsWith, 2, fixup_spve_spve, null, ANY_ROUTE],
  ],
});
