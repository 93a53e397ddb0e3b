/**
 * `$var(name)` (script variables) and `$shv(name)` (shared variables). Both hold an int or a string,
 * are never undefined (0 until set; $null sets 0) and keep their value across messages.
 * sipr runs one process per worker, so $shv is shared by the routes of one process only.
 */
import { SiprError, ErrorCode, type PvClassDef, type PvValue } from '@sipr/core';

export type VarValue = number | string;

export class VarStore {
  readonly values = new Map<string, VarValue>();

  get(name: string): VarValue {
    return this.values.get(name) ?? 0;
  }

  set(name: string, v: PvValue): void {
    this.values.set(name, v === null ? 0 : v);
  }

  /** `name=i:1` or `name=s:text` (modparam varset / shvset); a value without type is a string. */
  setFromParam(def: string): void {
    const eq = def.indexOf('=');
    if (eq <= 0) throw new SiprError(ErrorCode.MODPARAM, `bad variable definition '${def}' (expected name=i:value or name=s:value)`);
    const name = def.slice(0, eq).trim();
    const rest = def.slice(eq + 1);
    const typed = /^([isIS]):(.*)$/s.exec(rest);
    if (typed && typed[1].toLowerCase() === 'i') {
      if (!/^\s*[+-]?\d+\s*$/.test(typed[2])) throw new SiprError(ErrorCode.MODPARAM, `'${def}': '${typed[2]}' is not an integer`);
      this.values.set(name, parseInt(typed[2], 10));
    } else this.values.set(name, typed ? typed[2] : rest);
  }
}

function nameOf(inner: string): string {
  const n = inner.trim();
  if (!/^[A-Za-z0-9_.-]+$/.test(n)) throw new Error(`bad variable name '${inner}'`);
  return n;
}

export function varClass(name: 'var' | 'shv', store: VarStore): PvClassDef {
  return {
    name,
    inner: 'required',
    parseInner: nameOf,
    get: (_ctx, n: string) => store.get(n),
    set: (_ctx, n: string, _i, v) => store.set(n, v),
  };
}
