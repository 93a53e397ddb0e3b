/**
 * Text-level helpers shared by the typed header parsers: list splitting that respects quotes
 * and angle brackets, generic `;name=value` parameters, quoted strings.
 */
import { SipParseError, type UriParam } from './types';
import * as charsMod from './chars';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { isTokenString } = charsMod;

/** Trim SP/HT/CR/LF at both ends (header values keep inner LWS). */
export function trimLws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isLwsCode(s.charCodeAt(a))) a++;
  while (b > a && isLwsCode(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isLwsCode(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/**
 * Split a header value on commas that are outside quoted strings and <...>. Elements are
 * trimmed; empty elements are kept as '' so callers decide whether they are legal.
 */
export function splitList(value: string, where: string): string[] {
  if (value.indexOf(',') < 0) return [trimLws(value)];
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92 /* \ */) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60 /* < */) inAngle = true;
    else if (c === 62 /* > */) inAngle = false;
    else if (c === 44 /* , */ && !inAngle) {
      out.push(trimLws(value.slice(start, i)));
      start = i + 1;
    }
  }
  if (inQuote) throw new SipParseError(`unbalanced quote in ${where}`, where);
  out.push(trimLws(value.slice(start)));
  return out;
}

/** Index of the closing quote of a quoted string starting at `open`, -1 if unterminated. */
export function quoteEnd(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}

/** Remove the surrounding quotes and quoted-pair backslashes. */
export function unquote(s: string): string {
  if (s.length < 2 || s.charCodeAt(0) !== 34 || s.charCodeAt(s.length - 1) !== 34) return s;
  const inner = s.slice(1, -1);
  return inner.indexOf('\\') < 0 ? inner : inner.replace(/\\([\s\S])/g, '$1');
}

/**
 * Parse `;a=b;c;d="x;y"` (text starts at the first `;` or is empty). Names must be tokens;
 * an empty parameter (`;;`) is an error, as RFC 3261's grammar has no room for one.
 */
export function parseParams(s: string, where: string, from = 0): UriParam[] {
  const out: UriParam[] = [];
  let i = from;
  const n = s.length;
  while (i < n) {
    if (s.charCodeAt(i) !== 59 /* ; */) throw new SipParseError(`unexpected text in ${where} parameters`, where);
    i++;
    let j = i;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c === 59 || c === 61 /* = */) break;
      if (c === 34) throw new SipParseError(`quote in ${where} parameter name`, where);
      j++;
    }
    let a = i;
    let b = j;
    while (a < b && isLwsCode(s.charCodeAt(a))) a++;
    while (b > a && isLwsCode(s.charCodeAt(b - 1))) b--;
    const name = s.slice(a, b);
    if (!isTokenString(name)) throw new SipParseError(`bad parameter name in ${where}`, where);
    if (j < n && s.charCodeAt(j) === 61) {
      let k = j + 1;
      while (k < n && isLwsCode(s.charCodeAt(k))) k++;
      let end: number;
      if (k < n && s.charCodeAt(k) === 34) {
        const q = quoteEnd(s, k);
        if (q < 0) throw new SipParseError(`unbalanced quote in ${where} parameter`, where);
        end = q + 1;
        while (end < n && s.charCodeAt(end) !== 59) {
          if (!isLwsCode(s.charCodeAt(end))) throw new SipParseError(`text after quoted ${where} parameter`, where);
          end++;
        }
      } else {
        end = s.indexOf(';', k);
        if (end < 0) end = n;
      }
      let e = end;
      while (e > k && isLwsCode(s.charCodeAt(e - 1))) e--;
      if (e === k) throw new SipParseError(`empty value for parameter ${name} in ${where}`, where);
      out.push({ name, value: s.slice(k, e) });
      i = end;
    } else {
      out.push({ name, value: null });
      i = j;
    }
  }
  return out;
}

/** Case-insensitive parameter lookup: undefined when absent, null for a flag. */
export function findParam(params: readonly UriParam[], name: string): string | null | undefined {
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.name === name || sameLetters(p.name, name)) return p.value;
  }
  return undefined;
}

/** ASCII case-insensitive equality without allocating. */
export function sameLetters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && ((x | 0x20) !== (y | 0x20) || (x | 0x20) < 0x61 || (x | 0x20) > 0x7a)) return false;
  }
  return true;
}
