/**
 * The individual checks of sanity_check(), in Kamailio's order and with its replies. A check
 * returns true when the request passes; a failing check has already sent its reply (never to
 * ACKs or replies).
 */
import { parseUri, type RunCtx, type SipMsg } from '@sipr/core';

export const Check = {
  RURI_SIP_VERSION: 1 << 0,
  RURI_SCHEME: 1 << 1,
  REQUIRED_HEADERS: 1 << 2,
  VIA_SIP_VERSION: 1 << 3,
  VIA_PROTOCOL: 1 << 4,
  CSEQ_METHOD: 1 << 5,
  CSEQ_VALUE: 1 << 6,
  CL: 1 << 7,
  EXPIRES_VALUE: 1 << 8,
  PROXY_REQUIRE: 1 << 9,
  PARSE_URIS: 1 << 10,
  DIGEST: 1 << 11,
  MAX: 1 << 12,
} as const;

export const UriCheck = { RURI: 1, FROM: 2, TO: 4, CONTACT: 8 } as const;

export const DEFAULT_CHECKS = Check.RURI_SIP_VERSION | Check.RURI_SCHEME | Check.REQUIRED_HEADERS | Check.CSEQ_METHOD
  | Check.CSEQ_VALUE | Check.CL | Check.EXPIRES_VALUE | Check.PROXY_REQUIRE | Check.DIGEST;
export const DEFAULT_URI_CHECKS = UriCheck.RURI | UriCheck.FROM | UriCheck.TO;

export type Reply = (ctx: RunCtx, code: number, reason: string) => unknown;

export interface Env {
  reply: Reply;
  /** extensions accepted in Proxy-Require */
  proxyRequire: readonly string[];
}

const SCHEMES = new Set(['sip', 'sips', 'tel', 'tels']);

/** Fail with a reply unless the message is a reply or an ACK (those are never answered). */
function fail(ctx: RunCtx, env: Env, code: number, reason: string): false {
  const msg = ctx.msg;
  if (msg.isRequest && msg.method !== 'ACK') env.reply(ctx, code, reason);
  return false;
}

/** Up to ten digits, at most 4294967296: Kamailio compares with that string, so 2^32 passes too. */
function isUint(text: string): boolean {
  return /^\d{1,10}$/.test(text) && Number(text) <= 4294967296;
}

function rawCseq(msg: SipMsg): { num: string; method: string } | null {
  const h = msg.find('cseq');
  if (!h) return null;
  const m = /^(\S*)\s*(\S*)/.exec(h.value)!;
  return { num: m[1], method: m[2] };
}

export function ruriSipVersion(ctx: RunCtx, env: Env): boolean {
  const v = (ctx.msg as SipMsg).version;
  const slash = v.indexOf('/');
  if (slash >= 0 && v.slice(slash + 1) === '2.0') return true;
  return fail(ctx, env, 505, 'Version Not Supported (R-URI)');
}

export function ruriScheme(ctx: RunCtx, env: Env): boolean {
  let scheme: string;
  try {
    scheme = ctx.msg.uri().scheme;
  } catch {
    return fail(ctx, env, 400, 'Bad Request URI');
  }
  return SCHEMES.has(scheme) || fail(ctx, env, 416, 'Unsupported URI Scheme in Request URI');
}

export function requiredHeaders(ctx: RunCtx, env: Env): boolean {
  const msg = ctx.msg as SipMsg;
  if (msg.find('from') && msg.find('to') && msg.find('call-id') && msg.find('cseq')) return true;
  return fail(ctx, env, 400, 'Missing Required Header in Request');
}

export function cseqMethod(ctx: RunCtx, env: Env): boolean {
  const c = rawCseq(ctx.msg as SipMsg);
  if (!c) return false;
  if (c.method === '') return fail(ctx, env, 400, 'Missing method in CSeq header');
  return c.method === ctx.msg.method || fail(ctx, env, 400, 'CSeq method does not match request method');
}

export function cseqValue(ctx: RunCtx, env: Env): boolean {
  const c = rawCseq(ctx.msg as SipMsg);
  if (!c) return false;
  if (c.num === '') return fail(ctx, env, 400, 'Missing number in CSeq header');
  return isUint(c.num) || fail(ctx, env, 400, 'CSeq number is illegal');
}

export function contentLength(ctx: RunCtx, env: Env): boolean {
  const msg = ctx.msg as SipMsg;
  if (!msg.find('content-length')) return true;
  const cl = msg.contentLengthValue;
  return cl === msg.buf.length - msg.bodyStart || fail(ctx, env, 400, 'Content-Length mis-match');
}

export function expiresValue(ctx: RunCtx, env: Env): boolean {
  const h = (ctx.msg as SipMsg).find('expires');
  if (!h) return true;
  const v = h.value.trim();
  if (v === '') return fail(ctx, env, 400, 'Missing number in Expires header');
  return isUint(v) || fail(ctx, env, 400, 'Expires value is illegal');
}

export function proxyRequire(ctx: RunCtx, env: Env): boolean {
  const msg = ctx.msg as SipMsg;
  const h = msg.find('proxy-require');
  if (!h) return true;
  for (const raw of h.value.split(',')) {
    const ext = raw.trim();
    if (ext === '' || env.proxyRequire.includes(ext)) continue;
    msg.addReplyHeader(`Unsupported: ${ext}\r\n`);
    return fail(ctx, env, 420, 'Bad Extension');
  }
  return true;
}

export function parseUris(ctx: RunCtx, env: Env, which: number): boolean {
  const msg = ctx.msg as SipMsg;
  if (which & UriCheck.RURI) {
    try {
      msg.uri();
    } catch {
      return fail(ctx, env, 400, 'Bad Request URI');
    }
  }
  for (const [bit, key, name] of [[UriCheck.FROM, 'from', 'From'], [UriCheck.TO, 'to', 'To']] as const) {
    if (!(which & bit)) continue;
    if (!msg.find(key)) return fail(ctx, env, 400, `Missing ${name} Header`);
    let uri: string;
    try {
      uri = (key === 'from' ? msg.from() : msg.to()).uri;
    } catch {
      return fail(ctx, env, 400, key === 'from' ? 'Bad From header' : 'Bad To URI');
    }
    try {
      parseUri(uri);
    } catch {
      return fail(ctx, env, 400, `Bad ${name} URI`);
    }
  }
  if (which & UriCheck.CONTACT && msg.find('contact')) {
    let first: string | undefined;
    try {
      const c = msg.contacts();
      first = c === '*' ? undefined : c[0]?.uri;
    } catch {
      return fail(ctx, env, 400, 'Bad Contact Header');
    }
    if (first !== undefined) {
      try {
        parseUri(first);
      } catch {
        return fail(ctx, env, 400, 'Bad Contact URI');
      }
    }
  }
  return true;
}

/** Every digest credential has a username, nonce and response (no reply on failure). */
export function digest(ctx: RunCtx): boolean {
  const msg = ctx.msg as SipMsg;
  for (const kind of ['authorization', 'proxy-authorization'] as const) {
    let creds;
    try {
      creds = msg.credentials(kind);
    } catch {
      return false;
    }
    for (const c of creds) if (!c.username || !c.nonce || !c.response) return false;
  }
  return true;
}
