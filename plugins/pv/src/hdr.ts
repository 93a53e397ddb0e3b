/** `$hdr(name)[i]`: header fields (lines), 0-based, -1 last, `[*]` all bodies joined by ", ". */
import { indexValue, type PvClassDef, type PvRegistryApi, type PvSpec, type RunCtx } from '@sipr/core';

type HdrName = { name: string; spec: null } | { name: null; spec: PvSpec };

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
    const name = h.spec === null ? h.name : h.spec.get(ctx);
    if (name === null || name === '') return null;
    const i = indexValue(ctx, index);
    if (i === null || i === 0) return ctx.msg.header(String(name))?.value ?? null;
    const all = ctx.msg.headerAll(String(name));
    if (i === 'all') return all.length === 0 ? null : all.map((f) => f.value).join(', ');
    const k = i < 0 ? all.length + i : i;
    return k >= 0 && k < all.length ? all[k].value : null;
  },
};
