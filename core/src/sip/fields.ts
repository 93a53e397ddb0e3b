/** Parsers for the simple typed headers (CSeq, numbers, tokens, Content-Type, Event, digest credentials). */
import { SipParseError, type CSeq, type UriParam } from './types';
import * as textMod from './text';
import * as charsMod from './chars';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { findParam, parseParams, splitList, trimLws, unquote, quoteEnd } = textMod;
const { isDigits, isTokenString } = charsMod;

const MAX_U32 = 4294967295;

/** Decimal without sign; RFC 3261 caps CSeq (and sensible counters) at 2^32-1. */
export function parseUint(value: string, where: string, max = MAX_U32): number {
  const s = trimLws(value);
  if (!isDigits(s)) throw new SipParseError(`${where} is not a number`, where);
  const n = s.length > 12 ? Infinity : +s;
  if (n > max) throw new SipParseError(`${where} out of range`, where);
  return n;
}

export function parseCSeq(value: string): CSeq {
  const s = trimLws(value);
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const numText = s.slice(0, i);
  if (numText.length === 0) throw new SipParseError('CSeq without number', 'cseq');
  const num = parseUint(numText, 'cseq');
  let j = i;
  while (j < s.length && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
  if (j === i) throw new SipParseError('CSeq number not followed by a method', 'cseq');
  const method = s.slice(j);
  if (!isTokenString(method)) throw new SipParseError('bad CSeq method', 'cseq');
  return { num, numText, method };
}

/** Call-ID = word ["@" word]: no whitespace inside. */
export function parseCallId(value: string): string {
  const s = trimLws(value);
  if (s.length === 0) throw new SipParseError('empty Call-ID', 'call-id');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127) throw new SipParseError('whitespace in Call-ID', 'call-id');
  }
  return s;
}

/** Comma-separated tokens (Supported, Require, Proxy-Require, Unsupported, Allow). */
export function parseTokenList(value: string, where: string): string[] {
  const out: string[] = [];
  if (trimLws(value).length === 0) return out;
  for (const t of splitList(value, where)) {
    if (!isTokenString(t)) throw new SipParseError(`bad token in ${where}`, where);
    out.push(t);
  }
  return out;
}

export interface ContentType {
  readonly type: string;
  readonly subtype: string;
  /** `type/subtype`, lower-case */
  readonly mediaType: string;
  readonly params: readonly UriParam[];
}

export function parseContentType(value: string): ContentType {
  const s = trimLws(value);
  const slash = s.indexOf('/');
  if (slash <= 0) throw new SipParseError('Content-Type without type/subtype', 'content-type');
  const semi = s.indexOf(';', slash);
  const type = trimLws(s.slice(0, slash)).toLowerCase();
  const subtype = trimLws(semi < 0 ? s.slice(slash + 1) : s.slice(slash + 1, semi)).toLowerCase();
  if (!isTokenString(type) || !isTokenString(subtype)) throw new SipParseError('bad media type', 'content-type');
  const params = semi < 0 ? [] : parseParams(s.slice(semi), 'content-type');
  return { type, subtype, mediaType: `${type}/${subtype}`, params };
}

export interface EventValue {
  readonly name: string;
  readonly params: readonly UriParam[];
  readonly id: string | undefined;
}

export function parseEvent(value: string): EventValue {
  const s = trimLws(value);
  const semi = s.indexOf(';');
  const name = trimLws(semi < 0 ? s : s.slice(0, semi));
  if (!isTokenString(name)) throw new SipParseError('bad Event package', 'event');
  const params = semi < 0 ? [] : parseParams(s.slice(semi), 'event');
  const id = findParam(params, 'id');
  return { name, params, id: id ?? undefined };
}

/**
 * Authorization / Proxy-Authorization / WWW-Authenticate / Proxy-Authenticate:
 * `Scheme name=value, name="quoted", ...` (values returned unquoted).
 */
export class Credentials {
  constructor(
    readonly scheme: string,
    readonly params: readonly UriParam[],
  ) {}
  param(name: string): string | undefined {
    const v = findParam(this.params, name);
    return v === null ? '' : v;
  }
  get username(): string | undefined { return this.param('username'); }
  get realm(): string | undefined { return this.param('realm'); }
  get nonce(): string | undefined { return this.param('nonce'); }
  get uri(): string | undefined { return this.param('uri'); }
  get response(): string | undefined { return this.param('response'); }
  get algorithm(): string | undefined { return this.param('algorithm'); }
  get cnonce(): string | undefined { return this.param('cnonce'); }
  get opaque(): string | undefined { return this.param('opaque'); }
  get qop(): string | undefined { return this.param('qop'); }
  get nc(): string | undefined { return this.param('nc'); }
  get stale(): string | undefined { return this.param('stale'); }
}

export function parseCredentials(value: string, where: string): Credentials {
  const s = trimLws(value);
  let i = 0;
  while (i < s.length && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9) i++;
  const scheme = s.slice(0, i);
  if (!isTokenString(scheme)) throw new SipParseError(`bad auth scheme in ${where}`, where);
  const params: UriParam[] = [];
  const rest = trimLws(s.slice(i));
  if (rest.length === 0) return new Credentials(scheme, params);
  for (const part of splitList(rest, where)) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new SipParseError(`bad auth parameter in ${where}`, where);
    const name = trimLws(part.slice(0, eq));
    let v = trimLws(part.slice(eq + 1));
    if (!isTokenString(name)) throw new SipParseError(`bad auth parameter name in ${where}`, where);
    if (v.charCodeAt(0) === 34) {
      if (quoteEnd(v, 0) !== v.length - 1) throw new SipParseError(`bad quoted auth value in ${where}`, where);
      v = unquote(v);
    }
    params.push({ name, value: v });
  }
  return new Credentials(scheme, params);
}
