/** Destination set PVs: $ds, $br, $bR and $branch(attr)[i]. */
import { indexValue, type Branch, type PvClassDef } from '@sipr/core';
import { simple, needStr } from './define';

// bound once: a call through the package's re-export getters costs more than the call itself
const evalIndex = indexValue;

/** q as Kamailio prints it: 1000 -> "1", 500 -> "0.5"; negative means unspecified. */
function qText(q: number): string {
  return String(Math.round(q) / 1000);
}
function dsetEntry(uri: string, q: number): string {
  return q >= 0 ? `<${uri}>;q=${qText(q)}` : `<${uri}>`;
}

const BRANCH_ATTRS: Record<string, (b: Branch) => string | number | null> = {
  uri: (b) => b.uri,
  dst_uri: (b) => b.dstUri,
  path: (b) => b.path,
  q: (b) => (b.q >= 0 ? b.q : null),
  send_socket: (b) => b.socket?.name ?? null,
  flags: (b) => b.flags,
};

const branchClass: PvClassDef = {
  name: 'branch',
  inner: 'required',
  indexable: true,
  parseInner(inner: string) {
    const a = inner.trim();
    if (a !== 'count' && !BRANCH_ATTRS[a]) throw new Error(`unknown $branch attribute '${inner}' (uri dst_uri path q send_socket count flags)`);
    return a;
  },
  get(ctx, attr: string, index) {
    // Kamailio 5.6 reads an empty destination set's count as undefined
    if (attr === 'count') return ctx.branches.length || null;
    const n = evalIndex(ctx, index);
    const i = typeof n === 'number' ? n : 0;
    const b = ctx.branches[i < 0 ? ctx.branches.length + i : i];
    return b ? BRANCH_ATTRS[attr](b) : null;
  },
};

export const dsetPvs: PvClassDef[] = [
  // printed as the Contact header a redirect would carry; the R-URI counts only once rewritten
  ...simple('ds', (ctx) => {
    if (ctx.branches.length === 0) return null;
    const out = ctx.msg.newUri !== null ? [dsetEntry(ctx.msg.newUri, -1)] : [];
    for (const b of ctx.branches) out.push(dsetEntry(b.uri, b.q));
    return 'Contact: ' + out.join(', ');
  }),
  ...simple('br', (ctx) => ctx.branches[0]?.uri ?? null, (ctx, v) => {
    ctx.branches.push({ uri: needStr(v, '$br'), dstUri: null, path: null, q: -1, flags: 0, socket: ctx.msg.forceSocket });
  }),
  ...simple('bR', (ctx) => (ctx.branches.length ? ctx.branches.map((b) => b.uri).join(', ') : null)),
  branchClass,
];
