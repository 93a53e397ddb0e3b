/**
 * Syntax of one PV reference, without knowing the classes: `$name`, `$name(inner)`,
 * `$(name(inner)[index]{trans}...)`, and the SER AVP tails `$f.name`, `$name[n]`, `$name[]`.
 */
import { PvError } from './error';
import { serPrefix } from './avp';

export interface RawPv {
  /** class name (or SER AVP name) */
  name: string;
  inner: string | null;
  /** text between `[` and `]`, '' for SER `[]` */
  index: string | null;
  /** text of each `{...}` */
  trans: string[];
  /** `$(...)` form */
  bracketed: boolean;
  /** SER AVP prefix of `$f.name`, `$tu.name`, `$g.name`, ... */
  track: string | null;
  /** offset of the first char after the PV */
  end: number;
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Offset after the `close` that balances the `open` at text[i]. */
export function skipBalanced(text: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
  }
  throw new PvError(`missing '${close}' in '${text.slice(i)}'`, i);
}

function readName(text: string, i: number, dots: boolean): number {
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (isNameChar(c) || (dots && c === 46)) j++;
    else break;
  }
  return j;
}

/**
 * Scan the PV starting at text[start] === '$'. `serTails` allows `$x[n]` after a bare name for
 * which it returns true (a name that will be a SER AVP), and `$fu.x`-style prefixes when it
 * returns true for the prefix with its dot (`fu.`).
 */
export function scanPv(text: string, start: number, serTails: (name: string) => boolean): RawPv {
  let i = start + 1;
  const raw: RawPv = { name: '', inner: null, index: null, trans: [], bracketed: false, track: null, end: 0 };
  if (text[i] === '(') {
    const close = skipBalanced(text, i, '(', ')');
    raw.bracketed = true;
    i++;
    const nameEnd = readName(text, i, true);
    raw.name = text.slice(i, nameEnd);
    if (!raw.name) throw new PvError(`expected a pseudo-variable name in '${text.slice(start, close)}'`, i - start);
    i = nameEnd;
    if (text[i] === '(') {
      const e = skipBalanced(text, i, '(', ')');
      raw.inner = text.slice(i + 1, e - 1);
      i = e;
    }
    if (text[i] === '[') {
      const e = text.indexOf(']', i);
      if (e < 0 || e >= close) throw new PvError(`missing ']' in '${text.slice(start, close)}'`, i - start);
      raw.index = text.slice(i + 1, e);
      i = e + 1;
    }
    while (text[i] === '{') {
      const e = skipBalanced(text, i, '{', '}');
      raw.trans.push(text.slice(i + 1, e - 1));
      i = e;
    }
    if (i !== close - 1) throw new PvError(`unexpected '${text[i]}' in '${text.slice(start, close)}'`, i - start);
    raw.end = close;
    return raw;
  }
  if (text[i] === '?') {
    raw.name = '?';
    raw.end = i + 1;
    return raw;
  }
  const nameEnd = readName(text, i, false);
  if (nameEnd === i) throw new PvError(`expected a pseudo-variable name after '$'`, i - start);
  raw.name = text.slice(i, nameEnd);
  i = nameEnd;
  if (text[i] === '(') {
    const e = skipBalanced(text, i, '(', ')');
    raw.inner = text.slice(i + 1, e - 1);
    raw.end = e;
    return raw;
  }
  if (text[i] === '.' && isNameChar(text.charCodeAt(i + 1)) && serPrefix(raw.name) !== null && serTails(raw.name + '.')) {
    const e = readName(text, i + 1, false);
    raw.track = raw.name;
    raw.name = text.slice(i + 1, e);
    i = e;
  }
  if ((raw.track || serTails(raw.name)) && text[i] === '[') {
    const e = text.indexOf(']', i);
    if (e < 0) throw new PvError(`missing ']' in '${text.slice(start)}'`, i - start);
    raw.index = text.slice(i + 1, e);
    i = e + 1;
  }
  raw.end = i;
  return raw;
}
