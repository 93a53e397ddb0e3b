/** `$hdr(name)[i]`: header fields (lines), 0-based, -1 last, `[*]` all bodies joined by ", ". */
import { indexValue, type PvClassDef, type PvRegistryApi, type PvSpec, type RunCtx } from '@sipr/core';

type HdrName = { name: string; spec: null } | { name: null; spec: PvSpec };

// bound once: a call through the package's re-export getters costs more than the lookup itself
const evalIndex = indexValue;

export const hdrClass: PvClassDef = {
  name: 'hdr',
  inner: 'required',
  indexable: true,
  parseInner(inner: string, reg: PvRegistryApi): HdrName {
    const t = inner.trim();
    if (t.startsWith('$')) return { name: null, spec: reg.parse(t) };
    if (!/^[!-9;-~]+$/.test(t)) throw new Error(`bad header name '${inner}'`);
    return { name: t, spec: null };
  },
  get(ctx: RunCtx, h: HdrName, index) {
    const v = h.spec === null ? h.name : h.spec.get(ctx);
    if (v === null || v === '') return null;
    const name = typeof v === 'string' ? v : '' + v;
    const i = evalIndex(ctx, index);
    if (i === null || i === 0) return ctx.msg.header(name)?.value ?? null;
    const all = ctx.msg.headerAll(name);
    if (i === 'all') return all.length === 0 ? null : all.map((f) => f.value).join(', ');
    const k = i < 0 ? all.length + i : i;
    return k >= 0 && k < all.length ? all[k].value : null;
  },
};
