/** Via (RFC 3261 20.42): `SIP / 2.0 / UDP host[:port] *(;param)`, LWS allowed around `/`. */
import { SipParseError, type UriParam, type Via } from './types';
import * as textMod from './text';
import * as uriMod from './uri';
import * as charsMod from './chars';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { findParam, parseParams, splitList } = textMod;
const { isIpv6Body } = uriMod;
const { isTokenString } = charsMod;

export class ViaValue implements Via {
  constructor(
    readonly protocol: string,
    readonly transport: string,
    readonly host: string,
    readonly port: number,
    readonly params: readonly UriParam[],
    readonly raw: string,
  ) {}
  get branch(): string | undefined {
    return str(findParam(this.params, 'branch'));
  }
  get received(): string | undefined {
    return str(findParam(this.params, 'received'));
  }
  get rport(): string | null | undefined {
    return findParam(this.params, 'rport');
  }
  get maddr(): string | undefined {
    return str(findParam(this.params, 'maddr'));
  }
  get ttl(): string | undefined {
    return str(findParam(this.params, 'ttl'));
  }
  param(name: string): string | null | undefined {
    return findParam(this.params, name);
  }
}

function str(v: string | null | undefined): string | undefined {
  return v === null ? '' : v;
}

const W = 'via';
const NO_PARAMS: UriParam[] = [];

function fail(msg: string): SipParseError {
  return new SipParseError(msg, W);
}

/** All via values of one Via header field (comma-separated values allowed). */
export function parseViaField(value: string): ViaValue[] {
  if (value.indexOf(',') < 0) return [parseOneVia(value)];
  const parts = splitList(value, W);
  const out: ViaValue[] = [];
  for (const p of parts) {
    if (p.length === 0) throw fail('empty Via value');
    out.push(parseOneVia(p));
  }
  return out;
}

function parseOneVia(s: string): ViaValue {
  const slash1 = s.indexOf('/');
  const slash2 = slash1 < 0 ? -1 : s.indexOf('/', slash1 + 1);
  if (slash2 < 0) throw fail('Via without SIP/2.0/transport');
  const protocol = sentProtocol(s, slash1, slash2);
  let i = slash2 + 1;
  while (i < s.length && isLws(s.charCodeAt(i))) i++;
  const ts = i;
  while (i < s.length && !isLws(s.charCodeAt(i))) i++;
  const transport = transportName(s, ts, i);
  while (i < s.length && isLws(s.charCodeAt(i))) i++;
  if (i >= s.length) throw fail('Via without sent-by');
  const hs = i;
  let host: string;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0) throw fail('unterminated IPv6 reference in Via');
    host = s.slice(hs, close + 1);
    if (!isIpv6Body(host.slice(1, -1))) throw fail('bad IPv6 reference in Via');
    i = close + 1;
  } else {
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 58 || c === 59 || isLws(c)) break;
      if (!isHostChar(c)) throw fail('illegal character in Via host');
      i++;
    }
    host = s.slice(hs, i);
    if (host.length === 0) throw fail('empty Via host');
  }
  while (i < s.length && isLws(s.charCodeAt(i))) i++;
  let port = 0;
  if (i < s.length && s.charCodeAt(i) === 58) {
    i++;
    while (i < s.length && isLws(s.charCodeAt(i))) i++;
    const ps = i;
    let c: number;
    while (i < s.length && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      port = port * 10 + (c - 48);
      i++;
    }
    if (i === ps || i - ps > 5 || port > 65535) throw fail('bad Via port');
    while (i < s.length && isLws(s.charCodeAt(i))) i++;
  }
  const params = i < s.length ? parseParams(s, W, i) : NO_PARAMS;
  return new ViaValue(protocol, transport, host, port, params, s);
}

/** `SIP/2.0` (the usual case without a new string) or the protocol name/version upper-cased. */
function sentProtocol(s: string, slash1: number, slash2: number): string {
  if (slash1 === 3 && slash2 === 7 && s.startsWith('2.0', 4) && (s.startsWith('SIP') || s.slice(0, 3).toUpperCase() === 'SIP')) return 'SIP/2.0';
  const name = s.slice(0, slash1).trim();
  const version = s.slice(slash1 + 1, slash2).trim();
  if (!isTokenString(name) || !isTokenString(version)) throw fail('bad Via protocol');
  return `${name}/${version}`.toUpperCase();
}

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'];

function transportName(s: string, from: number, to: number): string {
  for (const t of TRANSPORTS) if (t.length === to - from && s.startsWith(t, from)) return t;
  const name = s.slice(from, to).toUpperCase();
  if (!isTokenString(name)) throw fail('bad Via transport');
  return name;
}

function isLws(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95;
}
