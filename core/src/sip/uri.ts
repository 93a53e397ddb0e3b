/**
 * URIs: sip, sips and tel are parsed into parts; any other scheme keeps its opaque text (RFC
 * 3261 allows any absoluteURI in a Request-URI, e.g. RFC 4475's unknown-scheme tests).
 */
import { SipParseError, type SipUri, type UriParam } from './types';
import * as textMod from './text';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { findParam } = textMod;

export class Uri implements SipUri {
  constructor(
    readonly raw: string,
    readonly scheme: string,
    readonly user: string,
    readonly password: string,
    readonly host: string,
    readonly port: number,
    readonly params: readonly UriParam[],
    readonly headers: string,
    /** user part was followed by `:password` (kept even if the password is empty) */
    readonly hasPassword = false,
  ) {}

  param(name: string): string | null | undefined {
    return findParam(this.params, name);
  }

  /** `host` or `host:port` as written. */
  get hostport(): string {
    return this.port ? `${this.host}:${this.port}` : this.host;
  }

  toString(): string {
    return this.raw;
  }
}

// RFC 3261 25.1: characters allowed unescaped in the user part (unreserved + user-unreserved)
// and in password / param / header parts.
const USER = charset("-_.!~*'()&=+$,;?/");
const PASSWORD = charset("-_.!~*'()&=+$,");
const PARAM = charset("-_.!~*'()[]/:&+$");
const HEADER = charset("-_.!~*'()[]/?:+$=&");
const HOST = charset('-._');

function charset(extra: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const ch of extra) t[ch.charCodeAt(0)] = 1;
  return t;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Every char is in the set or part of a well-formed %HH escape. */
function checkChars(s: string, set: Uint8Array, what: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
        throw bad(`bad escape in URI ${what}`);
      }
      i += 2;
    } else if (c > 255 || set[c] === 0) throw bad(`illegal character in URI ${what}`);
  }
}

function bad(msg: string): SipParseError {
  return new SipParseError(msg, 'uri');
}

function isSchemeChar(c: number, first: boolean): boolean {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  if (first) return false;
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/** Parse a URI; throws SipParseError (where 'uri') when it is not well-formed. */
export function parseUri(text: string): SipUri {
  return parseUriImpl(text);
}

export function parseUriImpl(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0) throw bad('URI without scheme');
  for (let i = 0; i < colon; i++) if (!isSchemeChar(text.charCodeAt(i), i === 0)) throw bad('bad URI scheme');
  const n = text.length;
  if (colon + 1 >= n) throw bad('empty URI after scheme');
  for (let i = colon + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) throw bad('whitespace or delimiter inside URI');
  }
  const scheme = schemeName(text, colon);
  if (scheme === 'sip' || scheme === 'sips') return parseSip(text, scheme, colon + 1);
  if (scheme === 'tel') return parseTel(text, text.slice(colon + 1));
  return new Uri(text, scheme, '', '', '', 0, [], '');
}

/** Lower-case scheme; the common ones without a new string. */
function schemeName(text: string, colon: number): string {
  const c0 = text.charCodeAt(0) | 0x20;
  if (colon === 3 && c0 === 0x73 && (text.charCodeAt(1) | 0x20) === 0x69 && (text.charCodeAt(2) | 0x20) === 0x70) return 'sip';
  if (colon === 4 && c0 === 0x73 && (text.charCodeAt(1) | 0x20) === 0x69 && (text.charCodeAt(2) | 0x20) === 0x70 && (text.charCodeAt(3) | 0x20) === 0x73) {
    return 'sips';
  }
  return text.slice(0, colon).toLowerCase();
}

/** sip/sips URI; `b` is where the text after `scheme:` starts. */
function parseSip(raw: string, scheme: string, b: number): Uri {
  const n = raw.length;
  let user = '';
  let password = '';
  let hasPassword = false;
  let hp = b;
  const at = raw.indexOf('@', b);
  if (at >= 0) {
    const pc = raw.indexOf(':', b);
    if (pc >= 0 && pc < at) {
      user = raw.slice(b, pc);
      password = raw.slice(pc + 1, at);
      hasPassword = true;
      checkChars(password, PASSWORD, 'password');
    } else user = raw.slice(b, at);
    if (user.length === 0) throw bad('empty user part before @');
    checkChars(user, USER, 'user');
    hp = at + 1;
  }
  let i = hp;
  let host: string;
  if (raw.charCodeAt(i) === 91 /* [ */) {
    const close = raw.indexOf(']', i);
    if (close < 0) throw bad('unterminated IPv6 reference');
    host = raw.slice(i, close + 1);
    if (!isIpv6Body(host.slice(1, -1))) throw bad('bad IPv6 reference');
    i = close + 1;
  } else {
    while (i < n) {
      const c = raw.charCodeAt(i);
      if (c === 58 || c === 59 || c === 63) break;
      if (c > 255 || HOST[c] === 0) throw bad('illegal character in URI host');
      i++;
    }
    if (i === hp) throw bad('empty URI host');
    host = raw.slice(hp, i);
  }
  let port = 0;
  if (i < n && raw.charCodeAt(i) === 58) {
    const ps = ++i;
    while (i < n) {
      const c = raw.charCodeAt(i);
      if (c < 48 || c > 57) break;
      port = port * 10 + (c - 48);
      i++;
    }
    if (i === ps || i - ps > 5 || port > 65535) throw bad('bad URI port');
  }
  let params: UriParam[] = NO_PARAMS;
  let headers = '';
  if (i < n) {
    const c = raw.charCodeAt(i);
    const q = raw.indexOf('?', i);
    if (c === 59) params = parseUriParams(raw, i + 1, q < 0 ? n : q);
    else if (c !== 63) throw bad('unexpected text after URI host');
    if (q >= 0) {
      headers = raw.slice(q + 1);
      checkHeaders(headers);
    }
  }
  return new Uri(raw, scheme, user, password, host, port, params, headers, hasPassword);
}

const NO_PARAMS: UriParam[] = [];

/** `a=b;c` in text[s, e) (after the first `;`). */
function parseUriParams(text: string, s: number, e: number): UriParam[] {
  const out: UriParam[] = [];
  let i = s;
  for (;;) {
    let j = text.indexOf(';', i);
    if (j < 0 || j > e) j = e;
    if (j === i) throw bad('empty URI parameter');
    const eq = text.indexOf('=', i);
    if (eq >= 0 && eq < j) {
      if (eq === i) throw bad('empty URI parameter name');
      const name = text.slice(i, eq);
      const value = text.slice(eq + 1, j);
      checkChars(name, PARAM, 'parameter');
      checkChars(value, PARAM, 'parameter');
      out.push({ name, value });
    } else {
      const name = text.slice(i, j);
      checkChars(name, PARAM, 'parameter');
      out.push({ name, value: null });
    }
    if (j >= e) return out;
    i = j + 1;
  }
}

function checkHeaders(s: string): void {
  for (const h of s.split('&')) {
    const eq = h.indexOf('=');
    if (eq <= 0) throw bad('bad URI header');
    checkChars(h.slice(0, eq), HEADER, 'header');
    checkChars(h.slice(eq + 1), HEADER, 'header');
  }
}

/** RFC 3966 subset: the number up to the first `;`, then parameters. */
function parseTel(raw: string, rest: string): Uri {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (number.length === 0) throw bad('empty tel number');
  for (let i = 0; i < number.length; i++) {
    const c = number.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || isHex(c) || c === 43 || c === 45 || c === 46 || c === 40 || c === 41 || c === 42 || c === 35;
    if (!ok) throw bad('illegal character in tel number');
  }
  const params = semi < 0 ? [] : parseUriParams(rest, semi + 1, rest.length);
  return new Uri(raw, 'tel', number, '', '', 0, params, '');
}

/** IPv6 address text (inside brackets): hex groups, at most one `::`, optional dotted IPv4 tail. */
export function isIpv6Body(text: string): boolean {
  // RFC 3261's IPv6reference ABNF admits `:::` before an IPv4 tail (RFC 5118 4.7): tolerated
  const s = text.indexOf(':::') >= 0 ? text.replace(':::', '::') : text;
  if (s.length < 2 || s.length > 45) return false;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  const groups = s.split(':');
  let count = 0;
  for (let g = 0; g < groups.length; g++) {
    const part = groups[g];
    if (part.length === 0) continue;
    if (g === groups.length - 1 && part.indexOf('.') >= 0) {
      if (!isIpv4(part)) return false;
      count += 2;
      continue;
    }
    if (part.length > 4) return false;
    for (let i = 0; i < part.length; i++) if (!isHex(part.charCodeAt(i))) return false;
    count++;
  }
  if (s.startsWith(':') && !s.startsWith('::')) return false;
  if (s.endsWith(':') && !s.endsWith('::')) return false;
  return dbl >= 0 ? count < 8 : count === 8;
}

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (+p > 255) return false;
  }
  return true;
}

/** Decode %HH escapes into the octets they stand for (as latin1 chars), for comparisons. */
export function unescapeUri(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out += String.fromCharCode(parseInt(s.substr(i + 1, 2), 16));
      i += 2;
    } else out += s[i];
  }
  return out;
}

// Parameters that make URIs unequal when present in only one of them (RFC 3261 19.1.4).
const MUST_MATCH = ['user', 'ttl', 'method', 'maddr', 'transport'];

/** URI equality per RFC 3261 19.1.4 (sip/sips); other schemes compare unescaped, case-insensitively. */
export function uriEquals(a: SipUri | string, b: SipUri | string): boolean {
  const x = typeof a === 'string' ? parseUriImpl(a) : a;
  const y = typeof b === 'string' ? parseUriImpl(b) : b;
  if (x.scheme !== y.scheme) return false;
  if (x.scheme !== 'sip' && x.scheme !== 'sips') {
    if (x.scheme === 'tel') return telEquals(x, y);
    return unescapeUri(x.raw).toLowerCase() === unescapeUri(y.raw).toLowerCase();
  }
  if (unescapeUri(x.user) !== unescapeUri(y.user)) return false;
  if (unescapeUri(x.password) !== unescapeUri(y.password)) return false;
  if (x.host.toLowerCase() !== y.host.toLowerCase()) return false;
  if (x.port !== y.port) return false;
  for (const name of MUST_MATCH) {
    const va = x.param(name);
    const vb = y.param(name);
    if (va === undefined && vb === undefined) continue;
    if (va === undefined || vb === undefined) return false;
    if (!paramValueEquals(va, vb)) return false;
  }
  for (const p of x.params) {
    const other = y.param(p.name);
    if (other === undefined) continue;
    if (!paramValueEquals(p.value, other)) return false;
  }
  return headersEqual(x.headers, y.headers);
}

function paramValueEquals(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return unescapeUri(a).toLowerCase() === unescapeUri(b).toLowerCase();
}

function headersEqual(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (s: string): string[] =>
    s.length === 0
      ? []
      : s
          .split('&')
          .map((h) => {
            const eq = h.indexOf('=');
            return `${unescapeUri(h.slice(0, eq)).toLowerCase()}=${unescapeUri(h.slice(eq + 1))}`;
          })
          .sort();
  const na = norm(a);
  const nb = norm(b);
  return na.length === nb.length && na.every((v, i) => v === nb[i]);
}

function telEquals(x: SipUri, y: SipUri): boolean {
  const digits = (s: string): string => s.replace(/[-.()]/g, '').toLowerCase();
  if (digits(x.user) !== digits(y.user)) return false;
  if (x.params.length !== y.params.length) return false;
  for (const p of x.params) {
    const other = y.param(p.name);
    if (other === undefined || !paramValueEquals(p.value, other)) return false;
  }
  return true;
}
