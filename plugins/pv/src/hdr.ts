/** `$hdr(name)[i]`: header fields (lines), 0-based, -1 last, `[*]` all bodies joined by ", "; `$hdrc(name)`. */
import { indexValue, type PvClassDef, type PvRegistryApi, type PvSpec, type RunCtx } from '@sipr/core';

type HdrName = { name: string; spec: null } | { name: null; spec: PvSpec };

function parseHdrName(inner: string, reg: PvRegistryApi): HdrName {
  const t = inner.trim();
  if (t.startsWith('$')) return { name: null, spec: reg.parse(t) };
  if (!/^[!-9;-~]+$/.test(t)) throw new Error(`bad header name '${inner}'`);
  return { name: t, spec: null };
}

function nameOf(ctx: RunCtx, h: HdrName): string | null {
  const v = h.spec === null ? h.name : h.spec.get(ctx);
  return v === null || v === '' ? null : typeof v === 'string' ? v : '' + v;
}

// bound once: a call through the package's re-export getters costs more than the lookup itself
const evalIndex = indexValue;

export const hdrClass: PvClassDef = {
  name: 'hdr',
  inner: 'required',
  indexable: true,
  parseInner: parseHdrName,
  get(ctx: RunCtx, h: HdrName, index) {
    const name = nameOf(ctx, h);
    if (name === null) return null;
    const i = evalIndex(ctx, index);
    if (i === null || i === 0) return ctx.msg.header(name)?.value ?? null;
    const all = ctx.msg.headerAll(name);
    if (i === 'all') return all.length === 0 ? null : all.map((f) => f.value).join(', ');
    const k = i < 0 ? all.length + i : i;
    return k >= 0 && k < all.length ? all[k].value : null;
  },
};

/** `$hdrc(name)`: how many fields of that header the message has (later Kamailio releases). */
export const hdrcClass: PvClassDef = {
  name: 'hdrc',
  inner: 'required',
  parseInner: parseHdrName,
  get(ctx: RunCtx, h: HdrName) {
    const name = nameOf(ctx, h);
    return name === null ? 0 : ctx.msg.headerAll(name).length;
  },
};
