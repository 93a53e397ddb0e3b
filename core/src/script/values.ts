/**
 * Script values and the operator rules of cfg-language.md §6.2/§6.3: int (32-bit), str, undef (null).
 * One implementation serves constant folding at start and evaluation at run time.
 */
export type Val = number | string | null;

/** Raised for evaluation errors (division by zero, bad dynamic regex): the `if` is false, the assignment fails. */
export class ScriptEvalError extends Error {}

const DECIMAL = /^[+-]?[0-9]+$/;

/** undef and "" are 0; a string converts only when it is entirely a decimal number, else 0. */
export function toInt(v: Val): number {
  if (typeof v === 'number') return v;
  if (v === null || v.length === 0 || !DECIMAL.test(v)) return 0;
  return Number(v) | 0;
}

export function toStr(v: Val): string {
  if (typeof v === 'string') return v;
  return v === null ? '' : String(v);
}

/** `+`: the left operand's type decides; undef on the left concatenates. */
export function plus(a: Val, b: Val): Val {
  if (typeof a === 'number') return (a + toInt(b)) | 0;
  return toStr(a) + toStr(b);
}

/** `==`: int compare when the left is int, string compare when str, undef takes the right's type. */
export function looseEq(a: Val, b: Val): boolean {
  if (typeof a === 'number') return a === toInt(b);
  if (typeof a === 'string') return a === toStr(b);
  if (b === null) return true;
  return typeof b === 'number' ? b === 0 : b.length === 0;
}

function div(a: number, b: number): number {
  if (b === 0) throw new ScriptEvalError('division by zero');
  return (a / b) | 0;
}

function mod(a: number, b: number): number {
  if (b === 0) throw new ScriptEvalError('modulo by zero');
  return a % b | 0;
}

/** Binary operators other than `&&`, `||`, `=~`, `!~` (those need the right side lazily or compiled). */
export const BINARY: Record<string, (a: Val, b: Val) => Val> = {
  '+': plus,
  '-': (a, b) => (toInt(a) - toInt(b)) | 0,
  '*': (a, b) => Math.imul(toInt(a), toInt(b)),
  '/': (a, b) => div(toInt(a), toInt(b)),
  mod: (a, b) => mod(toInt(a), toInt(b)),
  '&': (a, b) => toInt(a) & toInt(b),
  '|': (a, b) => toInt(a) | toInt(b),
  '<': (a, b) => (toInt(a) < toInt(b) ? 1 : 0),
  '>': (a, b) => (toInt(a) > toInt(b) ? 1 : 0),
  '<=': (a, b) => (toInt(a) <= toInt(b) ? 1 : 0),
  '>=': (a, b) => (toInt(a) >= toInt(b) ? 1 : 0),
  '==': (a, b) => (looseEq(a, b) ? 1 : 0),
  '!=': (a, b) => (looseEq(a, b) ? 0 : 1),
  eq: (a, b) => (toStr(a) === toStr(b) ? 1 : 0),
  ne: (a, b) => (toStr(a) === toStr(b) ? 0 : 1),
  ieq: (a, b) => (toInt(a) === toInt(b) ? 1 : 0),
  ine: (a, b) => (toInt(a) === toInt(b) ? 0 : 1),
};

export const UNARY: Record<string, (a: Val) => Val> = {
  '!': (a) => (toInt(a) === 0 ? 1 : 0),
  '-': (a) => -toInt(a) | 0,
  int: toInt,
  str: toStr,
  strlen: (a) => toStr(a).length,
  strempty: (a) => (toStr(a).length === 0 ? 1 : 0),
};

/** Operators that force both operands to int (a constant string on their left is a type error). */
export const INT_ONLY = new Set(['-', '*', '/', 'mod', '&', '|', '<', '>', '<=', '>=']);
