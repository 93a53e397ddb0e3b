/** Small builders for PV class definitions. */
import { SiprError, ErrorCode, type PvClassDef, type PvValue, type RunCtx } from '@sipr/core';

export type Getter = (ctx: RunCtx) => PvValue;
export type Setter = (ctx: RunCtx, v: PvValue) => void;

/** One class per name (aliases such as `ru` and `ruri` share the getter). */
export function simple(names: string | string[], get: Getter, set?: Setter): PvClassDef[] {
  return (Array.isArray(names) ? names : [names]).map((name) => ({
    name,
    inner: 'none' as const,
    get: (ctx: RunCtx) => get(ctx),
    ...(set ? { set: (ctx: RunCtx, _i: unknown, _x: unknown, v: PvValue) => set(ctx, v) } : {}),
  }));
}

export function writeError(what: string): never {
  throw new SiprError(ErrorCode.PV_WRITE, what);
}

/** Int for flag and port writes: numbers as they are, numeric strings converted. */
export function needInt(v: PvValue, pv: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return parseInt(v, 10);
  return writeError(`${pv} needs an integer value`);
}

export function needStr(v: PvValue, pv: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return writeError(`${pv} cannot be set to $null`);
}

/** '' reads as null for optional parts (user, display name, tag). */
export function orNull(s: string | undefined | null): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}
