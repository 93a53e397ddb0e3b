/** Lexing of `@name.sub[index]["str"].attr` into select parts. */
import { PvError } from '../pv/error';
import { ErrorCode } from '../errors';
import type { SelParam } from './types';

const MAX_PARTS = 32;

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57) || c === 95;
}

function fail(msg: string, at: number): never {
  throw new PvError(msg, at, ErrorCode.SELECT_SYNTAX);
}

/**
 * Parse the select starting at text[start] (`@` optional). Returns its parts and the offset after
 * it; the select ends at the first character that cannot continue it.
 */
export function lexSelect(text: string, start: number): { params: SelParam[]; end: number } {
  let i = start;
  if (text[i] === '@') i++;
  const params: SelParam[] = [];
  for (;;) {
    if (!isIdStart(text.charCodeAt(i))) fail(`expected a name in select '${text.slice(start)}'`, i - start);
    let j = i + 1;
    while (j < text.length && isIdChar(text.charCodeAt(j))) j++;
    params.push({ type: 'str', s: text.slice(i, j) });
    i = j;
    while (text[i] === '[') {
      const close = text[i + 1] === '"' ? text.indexOf('"', i + 2) + 1 : i + 1;
      if (text[i + 1] === '"') {
        if (close === 0 || text[close] !== ']') fail(`unterminated string index in select '${text.slice(start)}'`, i - start);
        params.push({ type: 'str', s: text.slice(i + 2, close - 1) });
        i = close + 1;
      } else {
        const e = text.indexOf(']', i);
        const num = e < 0 ? '' : text.slice(i + 1, e).trim();
        const n = /^-?(0x[0-9a-f]+|0b[01]+|0o?[0-7]+|\d+)$/i.test(num) ? parseSelectInt(num) : NaN;
        if (Number.isNaN(n)) fail(`bad index '[${num}]' in select '${text.slice(start)}'`, i - start);
        params.push({ type: 'int', n });
        i = e + 1;
      }
    }
    if (params.length > MAX_PARTS) fail(`select '${text.slice(start, i)}' has more than ${MAX_PARTS} parts`, 0);
    if (text[i] === '.' && isIdStart(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    return { params, end: i };
  }
}

function parseSelectInt(s: string): number {
  const neg = s.startsWith('-');
  const b = neg ? s.slice(1) : s;
  let n: number;
  if (/^0x/i.test(b)) n = parseInt(b.slice(2), 16);
  else if (/^0b/i.test(b)) n = parseInt(b.slice(2), 2);
  else if (/^0o/i.test(b)) n = parseInt(b.slice(2), 8);
  else if (b.length > 1 && b[0] === '0') n = parseInt(b.slice(1), 8);
  else n = parseInt(b, 10);
  return neg ? -n : n;
}
