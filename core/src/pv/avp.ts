/**
 * AVPs: per message (or transaction) lists of named values; several values per name form a stack,
 * newest first. Kamailio's `$avp(...)` and the SER forms `$name`, `$f.name`, `$t.name` share this
 * storage: `$avp(x)`, `$x` and `$f.x` are the same list (from track), `$t.x` a separate one.
 */
import type { PvValue, PvIndex, PvSpec, PvClassDef, PvRegistryApi } from './types';
import type { RunCtx } from '../script/types';
import { PvError } from './error';
import { SiprError, ErrorCode } from '../errors';
import { pvStr } from './value';

/** String names and `i:` integer names never meet: 'x' and 5 are different Map keys. */
export type AvpKey = string | number;
export type AvpTrack = 'f' | 't';

export class AvpStore {
  /** per name: values oldest -> newest, so a push is cheap and [0] is the last element */
  private from: Map<AvpKey, PvValue[]> | null = null;
  private to: Map<AvpKey, PvValue[]> | null = null;

  values(track: AvpTrack, key: AvpKey): PvValue[] | undefined {
    const m = track === 't' ? this.to : this.from;
    return m === null ? undefined : m.get(key);
  }

  push(track: AvpTrack, key: AvpKey, v: PvValue): void {
    let m = track === 't' ? this.to : this.from;
    if (m === null) {
      m = new Map();
      if (track === 't') this.to = m;
      else this.from = m;
    }
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  }

  deleteAll(track: AvpTrack, key: AvpKey): void {
    const m = track === 't' ? this.to : this.from;
    if (m !== null) m.delete(key);
  }

  /** Copy for a transaction (AVPs of the request travel into it). */
  clone(): AvpStore {
    const c = new AvpStore();
    if (this.from) c.from = new Map([...this.from].map(([k, v]) => [k, v.slice()]));
    if (this.to) c.to = new Map([...this.to].map(([k, v]) => [k, v.slice()]));
    return c;
  }
}

/** Position in the oldest->newest array of the stack index n (0 newest, -1 oldest), or -1. */
function slot(len: number, n: number): number {
  const i = n >= 0 ? len - 1 - n : -n - 1;
  return i >= 0 && i < len ? i : -1;
}

/** Read with Kamailio index rules; `[*]` joins all values newest first with ", ". */
export function avpRead(store: AvpStore, track: AvpTrack, key: AvpKey, index: number | 'all'): PvValue {
  const list = store.values(track, key);
  if (!list || list.length === 0) return null;
  if (index === 'all') {
    let s = '';
    for (let i = list.length - 1; i >= 0; i--) s += (i === list.length - 1 ? '' : ', ') + pvStr(list[i]);
    return s;
  }
  const i = slot(list.length, index);
  return i < 0 ? null : list[i];
}

/**
 * Kamailio assignment rules: `[*]` replaces every value (null: deletes them all); otherwise a value
 * is pushed and null deletes the newest. An `[n]` index is ignored on writes, in 3.0 as in 5.x.
 */
export function avpWrite(store: AvpStore, track: AvpTrack, key: AvpKey, index: number | 'all' | null, v: PvValue): void {
  if (index === 'all') {
    store.deleteAll(track, key);
    if (v !== null) store.push(track, key, v);
    return;
  }
  if (v !== null) {
    store.push(track, key, v);
    return;
  }
  const list = store.values(track, key);
  if (!list) return;
  list.pop();
  if (list.length === 0) store.deleteAll(track, key);
}

/** `alias=s:name` / `alias=i:5`, as in modparam("pv", "avp_aliases", ...) (`;`-separated). */
export class AvpAliases {
  private readonly map = new Map<string, AvpKey>();
  add(def: string): void {
    for (const part of def.split(';')) {
      const t = part.trim();
      if (!t) continue;
      const eq = t.indexOf('=');
      if (eq <= 0) throw new SiprError(ErrorCode.MODPARAM, `bad avp alias '${t}' (expected alias=s:name or alias=i:id)`);
      const alias = t.slice(0, eq).trim();
      this.map.set(alias, literalKey(t.slice(eq + 1).trim(), t));
    }
  }
  get(alias: string): AvpKey | undefined {
    return this.map.get(alias);
  }
}

function literalKey(name: string, ctx: string): AvpKey {
  if (name.startsWith('i:') || name.startsWith('I:')) {
    const n = Number(name.slice(2));
    if (!Number.isInteger(n) || name.length === 2) throw new PvError(`bad integer avp name '${ctx}'`);
    return n;
  }
  if (name.startsWith('s:') || name.startsWith('S:')) name = name.slice(2);
  if (!name) throw new PvError(`empty avp name in '${ctx}'`);
  return name;
}

/** A parsed `$avp(...)` name: fixed key, or a PV whose value is the name (read per use). */
export type AvpName = { key: AvpKey; spec: null } | { key: null; spec: PvSpec };

export function parseAvpName(inner: string, registry: PvRegistryApi, aliases: AvpAliases): AvpName {
  const t = inner.trim();
  if (t.startsWith('$')) return { key: null, spec: registry.parse(t) };
  if (/^[is]:/i.test(t)) return { key: literalKey(t, t), spec: null };
  const alias = aliases.get(t);
  return { key: alias ?? literalKey(t, t), spec: null };
}

function nameKey(ctx: RunCtx, name: AvpName): AvpKey | null {
  if (name.spec === null) return name.key;
  const v = name.spec.get(ctx);
  return typeof v === 'number' ? v : v === null || v === '' ? null : v;
}

/** The run's AVP list, created on first use (stores start empty: most messages never use AVPs). */
export function storesOf(ctx: RunCtx): AvpStore {
  const st = ctx.stores;
  return st.avps instanceof AvpStore ? st.avps : (st.avps = new AvpStore());
}

/** Numeric form of a PV index, evaluated at run time for `[$var(i)]`. */
export function indexValue(ctx: RunCtx, index: PvIndex | null): number | 'all' | null {
  if (index === null) return null;
  if (index.kind === 'n') return index.n;
  if (index.kind === 'all') return 'all';
  const v = index.spec.get(ctx);
  const n = typeof v === 'number' ? v : v === null ? 0 : parseInt(v, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** `$avp(name)` of the pv module. */
export function avpClass(aliases: AvpAliases): PvClassDef {
  return {
    name: 'avp',
    inner: 'required',
    indexable: true,
    parseInner: (inner, reg) => parseAvpName(inner, reg, aliases),
    get(ctx, name: AvpName, index) {
      const key = nameKey(ctx, name);
      if (key === null) return null;
      const i = indexValue(ctx, index);
      return avpRead(storesOf(ctx), 'f', key, i ?? 0);
    },
    set(ctx, name: AvpName, index, v) {
      const key = nameKey(ctx, name);
      if (key === null) throw new SiprError(ErrorCode.PV_WRITE, 'avp name evaluates to nothing');
      avpWrite(storesOf(ctx), 'f', key, indexValue(ctx, index), v);
    },
    count(ctx, name: AvpName) {
      const key = nameKey(ctx, name);
      return key === null ? 0 : (storesOf(ctx).values('f', key)?.length ?? 0);
    },
  };
}

/** Inner of a SER-style AVP (`$name`, `$f.name`, `$t.name`). */
export interface SerAvpRef {
  key: string;
  track: AvpTrack;
  /** SER index: n >= 1 the n-th oldest, -n the n-th newest, 'all' for `[]` / `[*]`, null none */
  index: number | 'all' | null;
}

export function parseSerIndex(raw: string | null): number | 'all' | null {
  if (raw === null) return null;
  if (raw === '' || raw === '*') return 'all';
  if (!/^-?\d+$/.test(raw) || raw === '0' || raw === '-0') throw new PvError(`bad avp index '[${raw}]' (use [n] with n >= 1, [-n] or [])`);
  return Number(raw);
}

/**
 * SER semantics: reads take the newest value unless indexed; an assignment replaces every value
 * of the name; $null deletes them all.
 */
export const serAvpClass: PvClassDef = {
  name: 'avp',
  inner: 'required',
  get(ctx, ref: SerAvpRef) {
    const i = ref.index;
    // SER counts from the oldest: [1] first added, [-1] last added (checked with kamailio 5.6)
    return avpRead(storesOf(ctx), ref.track, ref.key, i === null ? 0 : i === 'all' ? 'all' : i > 0 ? -i : -i - 1);
  },
  set(ctx, ref: SerAvpRef, _index, v) {
    avpWrite(storesOf(ctx), ref.track, ref.key, 'all', v);
  },
};
