/** `{s.*}`: string transformations. Lengths and offsets count characters. */
import { createHash } from 'node:crypto';
import type { PvRegistryApi, PvValue, TransformationDef, TransParam } from '../types';
import type { RunCtx } from '../../script/types';
import { paramInt, paramStr } from '../spec';
import { strictInt } from '../value';

type StrFn = (s: string, ctx: RunCtx, p: readonly TransParam[]) => PvValue;

function def(name: string, fn: StrFn, params?: TransformationDef['params'], optional?: number): TransformationDef {
  return { cls: 's', name, params, optional, apply: (ctx, v, p) => fn(typeof v === 'string' ? v : String(v), ctx, p) };
}

/** Negative off counts from the end; len 0 means to the end; a negative len fails. */
function substr(s: string, off: number, len: number): string | null {
  if (len < 0) return null;
  if (off < 0) off += s.length;
  if (off < 0 || off >= s.length) return null;
  return len === 0 ? s.slice(off) : s.slice(off, off + len);
}

/** An index past either end gives '' (not a failure), as Kamailio 3.0 does. */
function select(s: string, idx: number, sep: string): string {
  const parts = s.split(sep);
  const i = idx < 0 ? parts.length + idx : idx;
  return i >= 0 && i < parts.length ? parts[i] : '';
}

function decodeHexa(s: string): string | null {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return null;
  return Buffer.from(s, 'hex').toString('latin1');
}

const COMMON_ESC: Record<string, string> = { "'": "\\'", '"': '\\"', '\\': '\\\\', '\0': '\\0' };

function unescapeCommon(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => (c === '0' ? '\0' : c));
}

function keepSet(extra: string): Uint8Array {
  const t = new Uint8Array(128);
  const unreserved = "-_.!~*'()";
  for (let c = 48; c <= 57; c++) t[c] = 1;
  for (let c = 65; c <= 90; c++) t[c] = 1;
  for (let c = 97; c <= 122; c++) t[c] = 1;
  for (const ch of unreserved + extra) t[ch.charCodeAt(0)] = 1;
  return t;
}

// RFC 3261 25.1 user-unreserved (Kamailio escapes '/' too) and param-unreserved stay as they are
const USER_KEEP = keepSet('&=+$,;?');
const PARAM_KEEP = keepSet('[]/:&+$');

/** Kamailio escapes printable ASCII only: a control or non-ASCII byte makes the escape fail. */
function percentEscape(s: string, keep: Uint8Array): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    if (b < 32 || b > 126) return null;
    out += keep[b] ? s[i] : '%' + (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}

/** ASCII-only case mapping, as C's toupper/tolower in the C locale (é stays é). */
function asciiCase(s: string, upper: boolean): string {
  return s.replace(upper ? /[a-z]+/g : /[A-Z]+/g, (m) => (upper ? m.toUpperCase() : m.toLowerCase()));
}

function percentUnescape(s: string): string | null {
  if (s.indexOf('%') < 0) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
      bytes.push(parseInt(h, 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Buffer.from(bytes).toString('latin1');
}

/** The text inside one pair of delimiters, or null when s is not wrapped in them. */
function unwrap(s: string, open: string, close: string): string | null {
  return s.length >= 2 && s[0] === open && s[s.length - 1] === close ? s.slice(1, -1) : null;
}

/** `abc` -> `a,ab,abc` (number prefixes for routing tables), at most `max` of them when given. */
function prefixes(s: string, max: number, quote: string): string {
  const n = max > 0 && max < s.length ? max : s.length;
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push(quote + s.slice(0, i) + quote);
  return out.join(',');
}

export const stringTransformations: TransformationDef[] = [
  def('len', (s) => s.length),
  {
    cls: 's',
    name: 'int',
    apply: (_ctx, v) => (typeof v === 'number' ? v : strictInt(v)),
  },
  def('md5', (s) => createHash('md5').update(s, 'latin1').digest('hex')),
  {
    ...def('substr', (s, ctx, p) => substr(s, paramInt(ctx, p[0]), paramInt(ctx, p[1])), ['int', 'int']),
    validate(p) {
      if (typeof p[1].value === 'number' && p[1].value < 0) throw new Error('substr length must not be negative');
    },
  },
  def('select', (s, ctx, p) => select(s, paramInt(ctx, p[0]), paramStr(ctx, p[1])), ['int', 'char']),
  def('encode.hexa', (s) => Buffer.from(s, 'latin1').toString('hex')),
  def('decode.hexa', decodeHexa),
  def('escape.common', (s) => s.replace(/['"\\\0]/g, (c) => COMMON_ESC[c])),
  def('unescape.common', unescapeCommon),
  def('escape.user', (s) => percentEscape(s, USER_KEEP)),
  def('unescape.user', percentUnescape),
  def('escape.param', (s) => percentEscape(s, PARAM_KEEP)),
  def('unescape.param', percentUnescape),
  def('tolower', (s) => asciiCase(s, false)),
  def('toupper', (s) => asciiCase(s, true)),
  def('strip', (s, ctx, p) => {
    const n = paramInt(ctx, p[0]);
    return n <= 0 ? s : s.slice(n);
  }, ['int']),
  def('striptail', (s, ctx, p) => {
    const n = paramInt(ctx, p[0]);
    return n <= 0 ? s : s.slice(0, Math.max(0, s.length - n));
  }, ['int']),
  def('prefixes', (s, ctx, p) => prefixes(s, p.length ? paramInt(ctx, p[0]) : 0, ''), ['int'], 1),
  def('prefixes.quoted', (s, ctx, p) => prefixes(s, p.length ? paramInt(ctx, p[0]) : 0, "'"), ['int'], 1),
  // later Kamailio releases: common in configs written for them
  def('encode.base64', (s) => Buffer.from(s, 'latin1').toString('base64')),
  def('decode.base64', (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64').toString('latin1') : null)),
  def('sha256', (s) => createHash('sha256').update(s, 'latin1').digest('hex')),
  def('sha384', (s) => createHash('sha384').update(s, 'latin1').digest('hex')),
  def('sha512', (s) => createHash('sha512').update(s, 'latin1').digest('hex')),
  def('unquote', (s) => unwrap(s, '"', '"') ?? unwrap(s, "'", "'") ?? s),
  def('unbracket', (s) => unwrap(s, '<', '>') ?? s),
  def('replace', (s, ctx, p) => {
    const m = paramStr(ctx, p[0]);
    return m === '' ? s : s.split(m).join(paramStr(ctx, p[1]));
  }, ['str', 'str']),
  def('rm', (s, ctx, p) => {
    const m = paramStr(ctx, p[0]);
    return m === '' ? s : s.split(m).join('');
  }, ['str']),
  def('numeric', (s) => s.replace(/[^0-9]/g, '')),
  def('trim', (s) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')),
  def('ltrim', (s) => s.replace(/^[ \t\r\n]+/, '')),
  def('rtrim', (s) => s.replace(/[ \t\r\n]+$/, '')),
];

export function registerStringTransformations(reg: PvRegistryApi): void {
  for (const d of stringTransformations) reg.registerTransformation(d);
}
