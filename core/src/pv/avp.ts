/**
 * AVPs: per message (or transaction) lists of named values; several values per name form a stack,
 * newest first. Kamailio's `$avp(...)` and the SER forms `$name`, `$f.name`, `$t.name` share this
 * storage: `$avp(x)`, `$x` and `$f.x` are the same list (from track), `$t.x` a separate one.
 */
import type { PvValue, PvIndex, PvSpec, PvClassDef, PvRegistryApi } from './types';
import type { RunCtx } from '../script/types';
import type { Core } from '../core';
import { PvError } from './error';
import { SiprError, ErrorCode } from '../errors';
import { pvStr } from './value';

/** String names and `i:` integer names never meet: 'x' and 5 are different Map keys. */
export type AvpKey = string | number;
export type AvpTrack = 'f' | 't';
/**
 * SER AVP classes: uri (`$fr.x`), user (`$fu.x`), domain (`$fd.x`), global (`$g.x`). null is "any":
 * reads search uri, user, domain, then global and use the first class that has the name; writes go
 * to the uri class (as Kamailio's add_avp/search_avp).
 */
export type AvpClass = 'r' | 'u' | 'd' | 'g' | null;

/** Values of one name, oldest -> newest (a push is cheap, [0] is the last element), with AVP flags. */
export interface AvpStack {
  readonly vals: PvValue[];
  /** per value, set by setavpflag(); null until a flag is set */
  flags: number[] | null;
}

type AvpMap = Map<AvpKey, AvpStack>;

const CLASS_SLOT = { r: 0, u: 1, d: 2 } as const;

export class AvpStore {
  /** from uri, user, domain, then to uri, user, domain; created on first write */
  private readonly lists: (AvpMap | null)[] = [null, null, null, null, null, null];

  /** Global AVPs (`$g.x`) outlive messages: one map per process, shared by every store. */
  constructor(private readonly global: AvpMap = new Map()) {}

  private list(track: AvpTrack, cls: 'r' | 'u' | 'd'): AvpMap | null {
    return this.lists[(track === 't' ? 3 : 0) + CLASS_SLOT[cls]];
  }

  /** The stack a read or delete works on: the given class, or the first class holding the name. */
  stack(track: AvpTrack, key: AvpKey, cls: AvpClass = null): AvpStack | undefined {
    if (cls === 'g') return this.global.get(key);
    if (cls !== null) return this.list(track, cls)?.get(key);
    const o = track === 't' ? 3 : 0;
    for (let i = o; i < o + 3; i++) {
      const st = this.lists[i]?.get(key);
      if (st !== undefined && st.vals.length > 0) return st;
    }
    return this.global.get(key);
  }

  values(track: AvpTrack, key: AvpKey, cls: AvpClass = null): PvValue[] | undefined {
    return this.stack(track, key, cls)?.vals;
  }

  push(track: AvpTrack, key: AvpKey, v: PvValue, cls: AvpClass = null): void {
    let m: AvpMap;
    if (cls === 'g') m = this.global;
    else {
      const i = (track === 't' ? 3 : 0) + CLASS_SLOT[cls ?? 'r'];
      m = this.lists[i] ?? (this.lists[i] = new Map());
    }
    const st = m.get(key);
    if (st === undefined) m.set(key, { vals: [v], flags: null });
    else {
      st.vals.push(v);
      if (st.flags !== null) st.flags.push(0);
    }
  }

  /** Remove the newest value of the stack a read would use. */
  pop(track: AvpTrack, key: AvpKey, cls: AvpClass = null): void {
    const st = this.stack(track, key, cls);
    if (st === undefined) return;
    st.vals.pop();
    st.flags?.pop();
  }

  deleteAll(track: AvpTrack, key: AvpKey, cls: AvpClass = null): void {
    const st = this.stack(track, key, cls);
    if (st === undefined) return;
    st.vals.length = 0;
    st.flags = null;
  }

  /** Copy for a transaction (AVPs of the request travel into it; global ones stay shared). */
  clone(): AvpStore {
    const c = new AvpStore(this.global);
    for (let i = 0; i < 6; i++) {
      const m = this.lists[i];
      if (m) c.lists[i] = new Map([...m].map(([k, st]) => [k, { vals: st.vals.slice(), flags: st.flags && st.flags.slice() }]));
    }
    return c;
  }
}

/** Position in the oldest->newest array of the stack index n (0 newest, -1 oldest), or -1. */
function slot(len: number, n: number): number {
  const i = n >= 0 ? len - 1 - n : -n - 1;
  return i >= 0 && i < len ? i : -1;
}

/** Read with Kamailio index rules; `[*]` joins all values newest first with ", ". */
export function avpRead(store: AvpStore, track: AvpTrack, key: AvpKey, index: number | 'all', cls: AvpClass = null): PvValue {
  const list = store.values(track, key, cls);
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
export function avpWrite(store: AvpStore, track: AvpTrack, key: AvpKey, index: number | 'all' | null, v: PvValue, cls: AvpClass = null): void {
  if (index === 'all') store.deleteAll(track, key, cls);
  if (v !== null) store.push(track, key, v, cls);
  else if (index !== 'all') store.pop(track, key, cls);
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
  return st.avps instanceof AvpStore ? st.avps : (st.avps = new AvpStore(globalAvps(ctx.core)));
}

const globals = new WeakMap<Core, AvpMap>();

function globalAvps(core: Core): AvpMap {
  let m = globals.get(core);
  if (m === undefined) globals.set(core, (m = new Map()));
  return m;
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

/** Inner of a SER-style AVP (`$name`, `$f.name`, `$tu.name`, `$g.name`, ...). */
export interface SerAvpRef {
  key: string;
  track: AvpTrack;
  cls: AvpClass;
  /** SER index: n >= 1 the n-th oldest, -n the n-th newest, 'all' for `[]` / `[*]`, null none */
  index: number | 'all' | null;
}

/** Track and class of a SER prefix: `f`, `t`, `fr`, `tr`, `fu`, `tu`, `fd`, `td`, `g`. */
export function serPrefix(p: string): { track: AvpTrack; cls: AvpClass } | null {
  if (p === 'g') return { track: 'f', cls: 'g' };
  if (p.length > 2 || (p[0] !== 'f' && p[0] !== 't')) return null;
  const c = p[1];
  if (c !== undefined && c !== 'r' && c !== 'u' && c !== 'd') return null;
  return { track: p[0], cls: c ?? null };
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
    return avpRead(storesOf(ctx), ref.track, ref.key, i === null ? 0 : i === 'all' ? 'all' : i > 0 ? -i : -i - 1, ref.cls);
  },
  set(ctx, ref: SerAvpRef, _index, v) {
    avpWrite(storesOf(ctx), ref.track, ref.key, 'all', v, ref.cls);
  },
};

/**
 * Domain and global AVPs (`$fd.x`, `$td.x`, `$g.x`) are filled by modules; the script only reads
 * them (kamailio refuses an assignment at start). Modules write with `storesOf(ctx).push(.., 'd')`.
 */
export const serAvpReadOnlyClass: PvClassDef = { name: 'avp', inner: 'required', get: serAvpClass.get };

/** The SER AVP behind a parsed PV, or null when the PV is something else. */
export function serAvpRefOf(def: PvClassDef, inner: unknown): SerAvpRef | null {
  return def === serAvpClass || def === serAvpReadOnlyClass ? (inner as SerAvpRef) : null;
}

/**
 * setavpflag/resetavpflag/isavpflagset on a SER AVP (op 1 set, 0 reset, -1 test). With `[]` every
 * value of the name is touched and the result is true when any has the flag; otherwise the value
 * is the indexed one, or without index the only one (none when the name has several), as
 * Kamailio's search_avp_by_index.
 */
export function avpFlagOp(store: AvpStore, ref: SerAvpRef, mask: number, op: 1 | 0 | -1): boolean {
  const st = store.stack(ref.track, ref.key, ref.cls);
  const n = st === undefined ? 0 : st.vals.length;
  if (st === undefined || n === 0) return false;
  const i = ref.index;
  let from: number;
  let to: number;
  if (i === 'all') [from, to] = [0, n];
  else {
    from = i === null ? (n === 1 ? 0 : -1) : i > 0 ? i - 1 : n + i;
    if (from < 0 || from >= n) return false;
    to = from + 1;
  }
  const flags = st.flags ?? (st.flags = new Array<number>(n).fill(0));
  let any = false;
  for (let k = from; k < to; k++) {
    if (op === 1) flags[k] |= mask;
    else if (op === 0) flags[k] &= ~mask;
    if (flags[k] & mask) any = true;
  }
  return any;
}
