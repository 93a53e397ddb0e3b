/**
 * name-addr / addr-spec values (From, To, Contact, Route, Record-Route, Refer-To...).
 * In the addr-spec form (no <>), `;params` after the URI belong to the header, not the URI
 * (RFC 3261 20.10), and the URI may carry neither `,` `;` nor `?`.
 */
import { SipParseError, type Contact, type NameAddr, type SipUri, type UriParam } from './types';
import * as textMod from './text';
import * as uriMod from './uri';
import * as charsMod from './chars';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { findParam, parseParams, quoteEnd, splitList, trimLws, unquote } = textMod;
const { parseUriImpl } = uriMod;
const { TOKEN } = charsMod;

export class NameAddrValue implements Contact {
  constructor(
    /** display name without quotes */
    readonly display: string,
    readonly uri: string,
    readonly parsedUri: SipUri,
    readonly params: readonly UriParam[],
    /** the whole value as written */
    readonly raw: string,
    /** display name exactly as written (with quotes), '' if none */
    readonly rawDisplay: string,
  ) {}
  get tag(): string | undefined {
    const t = findParam(this.params, 'tag');
    return t === null ? '' : t;
  }
  get expires(): number | undefined {
    const v = findParam(this.params, 'expires');
    if (v === undefined || v === null || !/^[0-9]+$/.test(v)) return undefined;
    return +v;
  }
  get q(): number | undefined {
    const v = findParam(this.params, 'q');
    if (v === undefined || v === null) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  param(name: string): string | null | undefined {
    return findParam(this.params, name);
  }
}

export function parseNameAddr(value: string, where: string): NameAddrValue {
  const s = trimLws(value);
  if (s.length === 0) throw new SipParseError(`empty ${where}`, where);
  let display = '';
  let rawDisplay = '';
  let lt: number;
  if (s.charCodeAt(0) === 34) {
    const q = quoteEnd(s, 0);
    if (q < 0) throw new SipParseError(`unbalanced quote in ${where} display name`, where);
    rawDisplay = s.slice(0, q + 1);
    display = unquote(rawDisplay);
    lt = q + 1;
    while (lt < s.length && (s.charCodeAt(lt) === 32 || s.charCodeAt(lt) === 9)) lt++;
    if (s.charCodeAt(lt) !== 60) throw new SipParseError(`quoted display name not followed by <uri> in ${where}`, where);
  } else {
    lt = s.indexOf('<');
    if (lt >= 0) {
      rawDisplay = trimLws(s.slice(0, lt));
      for (let i = 0; i < rawDisplay.length; i++) {
        const c = rawDisplay.charCodeAt(i);
        if (c !== 32 && c !== 9 && (c > 255 || TOKEN[c] === 0)) {
          throw new SipParseError(`illegal character in unquoted display name of ${where}`, where);
        }
      }
      display = rawDisplay;
    }
  }
  if (lt >= 0) {
    const gt = s.indexOf('>', lt + 1);
    if (gt < 0) throw new SipParseError(`missing > in ${where}`, where);
    const uri = s.slice(lt + 1, gt);
    const parsed = parseAt(uri, where);
    const params = gt + 1 < s.length ? parseParams(trimLws(s.slice(gt + 1)), where) : [];
    return new NameAddrValue(display, uri, parsed, params, s, rawDisplay);
  }
  const semi = s.indexOf(';');
  const uri = semi < 0 ? s : trimLws(s.slice(0, semi));
  if (uri.indexOf('?') >= 0 || uri.indexOf(',') >= 0) {
    throw new SipParseError(`URI with headers or commas must be enclosed in <> in ${where}`, where);
  }
  const parsed = parseAt(uri, where);
  const params = semi < 0 ? [] : parseParams(s.slice(semi), where);
  return new NameAddrValue('', uri, parsed, params, s, '');
}

function parseAt(uri: string, where: string): SipUri {
  try {
    return parseUriImpl(uri);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`${e.message} in ${where}`, where);
    throw e;
  }
}

/** Every name-addr of a list header field (Contact, Route, Record-Route). */
export function parseNameAddrList(value: string, where: string): NameAddrValue[] {
  const out: NameAddrValue[] = [];
  for (const part of splitList(value, where)) {
    if (part.length === 0) throw new SipParseError(`empty element in ${where}`, where);
    out.push(parseNameAddr(part, where));
  }
  return out;
}

export type { NameAddr };
