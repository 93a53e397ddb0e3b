/**
 * $sht(t=>k), $shtex(t=>k), $shtinc(t=>k), $shtdec(t=>k), $shtcn(t=>re), $shtcv(t=>re). The
 * key may hold pseudo-variables; the table must be declared with modparam before the routes.
 */
import { compileEre, type PvClassDef, type PvFormat, type PvRegistryApi, type PvValue, type RunCtx } from '@sipr/core';
import type { HashTable } from './table';

interface Ref {
  table: HashTable;
  key: PvFormat;
  /** a trailing '$' of a regex: its end anchor, not a pseudo-variable */
  anchor: string;
}

export interface Tables {
  get(name: string): HashTable | undefined;
}

function parseRef(tables: Tables, inner: string, pv: PvRegistryApi): Ref {
  const i = inner.indexOf('=>');
  if (i < 0) throw new Error(`bad htable reference "${inner}": expected table=>key`);
  const name = inner.slice(0, i).trim();
  const table = tables.get(name);
  if (!table) throw new Error(`htable "${name}" is not declared (modparam("htable", "htable", "${name}=>size=4"))`);
  return { table, ...keyFormat(inner.slice(i + 2), pv) };
}

/** The key or regex as a format; a regex's end anchor `$` is kept aside so it is not read as a PV. */
export function keyFormat(text: string, pv: PvRegistryApi): { key: PvFormat; anchor: string } {
  const anchored = text.endsWith('$') && !text.endsWith('\\$');
  return { key: pv.parseFormat(anchored ? text.slice(0, -1) : text), anchor: anchored ? '$' : '' };
}

const keyOf = (ctx: RunCtx, r: Ref) => r.key.print(ctx) + r.anchor;

/** A POSIX ERE built at run time (from PVs); null, logged, when bad or unsafe. */
export function runtimeRegex(ctx: RunCtx, text: string): RegExp | null {
  try {
    return compileEre(text, false);
  } catch (e) {
    ctx.core.log.error(`htable: ${(e as Error).message}`);
    return null;
  }
}

const regexOf = (ctx: RunCtx, r: Ref) => runtimeRegex(ctx, keyOf(ctx, r));

export function htablePvs(tables: Tables): PvClassDef[] {
  const ref = (inner: string, pv: PvRegistryApi) => parseRef(tables, inner, pv);
  const counter = (name: string, n: number): PvClassDef => ({
    name,
    inner: 'required',
    parseInner: ref,
    get: (ctx, r: Ref) => r.table.add(keyOf(ctx, r), n),
  });
  const count = (name: string, byValue: boolean): PvClassDef => ({
    name,
    inner: 'required',
    parseInner: ref,
    get(ctx, r: Ref) {
      const re = regexOf(ctx, r);
      return re ? r.table.count(re, byValue) : null;
    },
  });
  return [
    {
      name: 'sht',
      inner: 'required',
      parseInner: ref,
      get: (ctx, r: Ref) => r.table.get(keyOf(ctx, r)),
      set(ctx, r: Ref, _i, value: PvValue) {
        const key = keyOf(ctx, r);
        if (value === null) r.table.delete(key);
        else r.table.set(key, value);
      },
    },
    {
      name: 'shtex',
      inner: 'required',
      parseInner: ref,
      get: (ctx, r: Ref) => r.table.expiresIn(keyOf(ctx, r)),
      set(ctx, r: Ref, _i, value: PvValue) {
        const n = typeof value === 'number' ? value : Number(value);
        if (!Number.isInteger(n) || n < 0) throw new Error(`$shtex needs a number of seconds, not ${String(value)}`);
        r.table.setExpiresIn(keyOf(ctx, r), n);
      },
    },
    counter('shtinc', 1),
    counter('shtdec', -1),
    count('shtcn', false),
    count('shtcv', true),
  ];
}
