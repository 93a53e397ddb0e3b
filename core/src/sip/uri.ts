/**
 * URIs: sip, sips and tel are parsed into parts; any other scheme keeps its opaque text (RFC
 * 3261 allows any absoluteURI in a Request-URI, e.g. RFC 4475's unknown-scheme tests).
 */
import { SipParseError, type SipUri, type UriParam } from './types';
import { findParam } from './text';

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
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (rest.length === 0) throw bad('empty URI after scheme');
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) throw bad('whitespace or delimiter inside URI');
  }
  if (scheme === 'sip' || scheme === 'sips') return parseSip(text, scheme, rest);
  if (scheme === 'tel') return parseTel(text, rest);
  return new Uri(text, scheme, '', '', '', 0, [], '');
}

function parseSip(raw: string, scheme: string, rest: string): Uri {
  let user = '';
  let password = '';
  let hasPassword = false;
  let hp = 0;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const pc = userinfo.indexOf(':');
    if (pc >= 0) {
      user = userinfo.slice(0, pc);
      password = userinfo.slice(pc + 1);
      hasPassword = true;
      checkChars(password, PASSWORD, 'password');
    } else user = userinfo;
    if (user.length === 0) throw bad('empty user part before @');
    checkChars(user, USER, 'user');
    hp = at + 1;
  }
  let i = hp;
  let host: string;
  if (rest.charCodeAt(i) === 91 /* [ */) {
    const close = rest.indexOf(']', i);
    if (close < 0) throw bad('unterminated IPv6 reference');
    host = rest.slice(i, close + 1);
    if (!isIpv6Body(host.slice(1, -1))) throw bad('bad IPv6 reference');
    i = close + 1;
  } else {
    while (i < rest.length) {
      const c = rest.charCodeAt(i);
      if (c === 58 || c === 59 || c === 63) break;
      if (c > 255 || HOST[c] === 0) throw bad('illegal character in URI host');
      i++;
    }
    host = rest.slice(hp, i);
    if (host.length === 0) throw bad('empty URI host');
  }
  let port = 0;
  if (i < rest.length && rest.charCodeAt(i) === 58) {
    const ps = ++i;
    while (i < rest.length) {
      const c = rest.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    port = parsePort(rest.slice(ps, i));
  }
  let params: UriParam[] = [];
  let headers = '';
  if (i < rest.length) {
    const c = rest.charCodeAt(i);
    const q = rest.indexOf('?', i);
    if (c === 59) {
      params = parseUriParams(q < 0 ? rest.slice(i) : rest.slice(i, q));
    } else if (c !== 63) throw bad('unexpected text after URI host');
    if (q >= 0) {
      headers = rest.slice(q + 1);
      checkHeaders(headers);
    }
  }
  return new Uri(raw, scheme, user, password, host, port, params, headers, hasPassword);
}

function parsePort(s: string): number {
  if (s.length === 0 || s.length > 5) throw bad('bad URI port');
  const port = +s;
  if (port > 65535) throw bad('URI port out of range');
  return port;
}

function parseUriParams(s: string): UriParam[] {
  const out: UriParam[] = [];
  for (const part of s.slice(1).split(';')) {
    if (part.length === 0) throw bad('empty URI parameter');
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name.length === 0) throw bad('empty URI parameter name');
    checkChars(name, PARAM, 'parameter');
    if (eq < 0) out.push({ name, value: null });
    else {
      const value = part.slice(eq + 1);
      checkChars(value, PARAM, 'parameter');
      out.push({ name, value });
    }
  }
  return out;
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
  const params = semi < 0 ? [] : parseUriParams(rest.slice(semi));
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
