/** `{nameaddr.*}` and `{tobody.*}`: parts of `"Name" <uri>;params` values. */
import type { PvRegistryApi, PvValue, TransformationDef } from '../types';
import { parseUriCached } from '../uri-cache';
import { splitParams } from './param';

export interface NameAddrParts {
  /** text before `<` as written (leading space dropped, trailing kept), '' if none */
  name: string;
  uri: string;
  /** text after the URI (`;tag=x;p`) without the leading `;`, '' if none */
  params: string;
  /** length of the name-addr itself (through `>`), without the header parameters */
  len: number;
}

/** null when the text has an unclosed `<` or quote. */
export function splitNameAddr(s: string): NameAddrParts | null {
  let i = 0;
  let quoted = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '"' && s[i - 1] !== '\\') quoted = !quoted;
    else if (c === '<' && !quoted) break;
  }
  if (quoted) return null;
  if (i === s.length) {
    // addr-spec form: parameters after the URI belong to the header
    const t = s.trim();
    const semi = t.indexOf(';');
    return semi < 0 ? { name: '', uri: t, params: '', len: t.length } : { name: '', uri: t.slice(0, semi), params: t.slice(semi + 1).trim(), len: semi };
  }
  const close = s.indexOf('>', i);
  if (close < 0) return null;
  const rest = s.slice(close + 1).trim();
  return { name: s.slice(0, i).trimStart(), uri: s.slice(i + 1, close).trim(), params: rest.startsWith(';') ? rest.slice(1).trim() : rest, len: close + 1 - (s.length - s.trimStart().length) };
}

type NaFn = (na: NameAddrParts) => PvValue;

function def(cls: string, name: string, fn: NaFn): TransformationDef {
  return {
    cls,
    name,
    apply(_ctx, v) {
      const s = typeof v === 'string' ? v : String(v);
      const na = splitNameAddr(s);
      return na === null ? null : fn(na);
    },
  };
}

function uriPart(na: NameAddrParts, part: 'user' | 'host'): PvValue {
  const u = parseUriCached(na.uri);
  return u === null ? null : u[part];
}

export const nameaddrTransformations: TransformationDef[] = [
  def('nameaddr', 'name', (na) => na.name),
  def('nameaddr', 'uri', (na) => na.uri),
  def('nameaddr', 'len', (na) => na.len),
  // Kamailio keeps the quotes of a quoted display name here
  def('tobody', 'display', (na) => na.name.trim()),
  def('tobody', 'uri', (na) => na.uri),
  def('tobody', 'tag', (na) => splitParams(na.params).find((p) => p.name.toLowerCase() === 'tag')?.value ?? ''),
  def('tobody', 'user', (na) => uriPart(na, 'user')),
  def('tobody', 'host', (na) => uriPart(na, 'host')),
  def('tobody', 'params', (na) => na.params),
];

export function registerNameaddrTransformations(reg: PvRegistryApi): void {
  for (const d of nameaddrTransformations) reg.registerTransformation(d);
}
