/**
 * XAVPs: a list of named values where a value may itself be a list of named fields
 * (`$xavp(root[i]=>field[j])`). Index 0 is the newest item of that name, -1 the oldest.
 */
import type { PvValue, PvClassDef } from './types';
import type { RunCtx } from '../script/types';
import { PvError } from './error';
import { SiprError, ErrorCode } from '../errors';
import { pvStr } from './value';

export type XavpValue = PvValue | XavpList;

/** Named values, each name's values newest first. */
export class XavpList {
  readonly items = new Map<string, XavpValue[]>();

  get(name: string): XavpValue[] | undefined {
    return this.items.get(name);
  }

  /** Add a value as the newest of its name. */
  push(name: string, v: XavpValue): void {
    const l = this.items.get(name);
    if (l) l.unshift(v);
    else this.items.set(name, [v]);
  }

  delete(name: string): void {
    this.items.delete(name);
  }

  clone(): XavpList {
    const c = new XavpList();
    for (const [k, vals] of this.items) c.items.set(k, vals.map((v) => (v instanceof XavpList ? v.clone() : v)));
    return c;
  }
}

/** How a nested list reads as a value (Kamailio prints an address there; never null). */
export const XAVP_LIST_TEXT = '<<xavp>>';

type Index = number | 'all' | null;

export interface XavpRef {
  root: string;
  rootIndex: Index;
  field: string | null;
  fieldIndex: Index;
}

function parsePart(part: string, whole: string): [string, Index] {
  const m = /^\s*([A-Za-z0-9_.]+)\s*(?:\[\s*(\*|-?\d+)\s*\])?\s*$/.exec(part);
  if (!m) throw new PvError(`bad xavp name '${whole}' (expected name[index]=>field[index])`);
  return [m[1], m[2] === undefined ? null : m[2] === '*' ? 'all' : Number(m[2])];
}

export function parseXavpRef(inner: string): XavpRef {
  const arrow = inner.indexOf('=>');
  const [root, rootIndex] = parsePart(arrow < 0 ? inner : inner.slice(0, arrow), inner);
  if (arrow < 0) return { root, rootIndex, field: null, fieldIndex: null };
  const [field, fieldIndex] = parsePart(inner.slice(arrow + 2), inner);
  return { root, rootIndex, field, fieldIndex };
}

function position(len: number, n: number): number {
  const i = n < 0 ? len + n : n;
  return i >= 0 && i < len ? i : -1;
}

function readValues(vals: XavpValue[] | undefined, index: Index): PvValue {
  if (!vals || vals.length === 0) return null;
  if (index === 'all') return vals.map((v) => (v instanceof XavpList ? XAVP_LIST_TEXT : pvStr(v))).join(', ');
  const i = position(vals.length, index ?? 0);
  if (i < 0) return null;
  const v = vals[i];
  return v instanceof XavpList ? XAVP_LIST_TEXT : v;
}

/** The same rules on one level: push / replace-all / replace-nth, null deletes. */
function writeValues(list: XavpList, name: string, index: Index, v: PvValue): void {
  if (index === 'all') {
    list.delete(name);
    if (v !== null) list.push(name, v);
    return;
  }
  if (index === null) {
    if (v !== null) list.push(name, v);
    else removeAt(list, name, 0);
    return;
  }
  if (v === null) {
    removeAt(list, name, index);
    return;
  }
  const vals = list.get(name);
  const i = vals ? position(vals.length, index) : -1;
  if (i < 0) throw new SiprError(ErrorCode.PV_WRITE, `no xavp '${name}' at index ${index}`);
  vals![i] = v;
}

function removeAt(list: XavpList, name: string, n: number): void {
  const vals = list.get(name);
  if (!vals) return;
  const i = position(vals.length, n);
  if (i < 0) return;
  vals.splice(i, 1);
  if (vals.length === 0) list.delete(name);
}

export function xavpRead(store: XavpList, ref: XavpRef): PvValue {
  const roots = store.get(ref.root);
  // Kamailio joins `[*]` values of a field, but reads the newest for a root `[*]`
  if (ref.field === null) return readValues(roots, ref.rootIndex === 'all' ? 0 : ref.rootIndex);
  if (!roots || ref.rootIndex === 'all') return null;
  const i = position(roots.length, ref.rootIndex ?? 0);
  if (i < 0) return null;
  const item = roots[i];
  return item instanceof XavpList ? readValues(item.get(ref.field), ref.fieldIndex) : null;
}

export function xavpWrite(store: XavpList, ref: XavpRef, v: PvValue): void {
  if (ref.field === null) {
    writeValues(store, ref.root, ref.rootIndex, v);
    return;
  }
  if (ref.rootIndex === null && v !== null) {
    // no index on the root: every assignment starts a new record
    const rec = new XavpList();
    rec.push(ref.field, v);
    store.push(ref.root, rec);
    return;
  }
  const roots = store.get(ref.root) ?? [];
  if (ref.rootIndex === 'all') {
    if (v !== null) throw new SiprError(ErrorCode.PV_WRITE, `cannot assign a value to $xavp(${ref.root}[*]=>${ref.field})`);
    for (const item of roots) if (item instanceof XavpList) writeValues(item, ref.field, ref.fieldIndex, null);
    return;
  }
  const i = position(roots.length, ref.rootIndex ?? 0);
  const item = i < 0 ? undefined : roots[i];
  if (!(item instanceof XavpList)) {
    if (v === null) return;
    throw new SiprError(ErrorCode.PV_WRITE, `no xavp record '${ref.root}' at index ${ref.rootIndex}`);
  }
  writeValues(item, ref.field, ref.fieldIndex, v);
}

/** The run's XAVP list, created on first use. */
export function xavpsOf(ctx: RunCtx): XavpList {
  const st = ctx.stores;
  return st.xavps instanceof XavpList ? st.xavps : (st.xavps = new XavpList());
}

/**
 * `$cnt($xavp(...))`: items of a root; with `=>field`, that field's values in the selected record,
 * or summed over every record when the root has no index (as kamailio 5.6 counts).
 */
export function xavpCount(store: XavpList, ref: XavpRef): number {
  const roots = store.get(ref.root) ?? [];
  if (ref.field === null) return roots.length;
  const field = ref.field;
  const inRecord = (item: XavpValue | undefined) => (item instanceof XavpList ? (item.get(field)?.length ?? 0) : 0);
  if (ref.rootIndex === null || ref.rootIndex === 'all') return roots.reduce<number>((n, item) => n + inRecord(item), 0);
  const i = position(roots.length, ref.rootIndex);
  return i < 0 ? 0 : inRecord(roots[i]);
}

export const xavpClass: PvClassDef = {
  name: 'xavp',
  inner: 'required',
  parseInner: (inner) => parseXavpRef(inner),
  get: (ctx: RunCtx, ref: XavpRef) => xavpRead(xavpsOf(ctx), ref),
  set: (ctx: RunCtx, ref: XavpRef, _index, v) => xavpWrite(xavpsOf(ctx), ref, v),
  count: (ctx: RunCtx, ref: XavpRef) => xavpCount(xavpsOf(ctx), ref),
};
