/** R-URI, original R-URI and destination URI PVs; writes change the message's routing state. */
import { parseUriCached, type PvClassDef, type RunCtx, type SipUri } from '@sipr/core';
import { simple, needInt, needStr, orNull, writeError } from './define';
import { setUriHost, setUriPort, setUriUser } from './uri-edit';

// bound once: a call through the package's re-export getters costs more than the cache hit
const parseCached = parseUriCached;

/** Parsed (shared, cached) URI of a PV's source text. */
export function uriOf(text: string | null): SipUri | null {
  return text ? parseCached(text) : null;
}

function currentRuri(ctx: RunCtx): string | null {
  return ctx.msg.isRequest ? (ctx.msg.newUri ?? ctx.msg.ruri) : null;
}
function originalRuri(ctx: RunCtx): string | null {
  return ctx.msg.isRequest ? ctx.msg.ruri : null;
}
function dstUri(ctx: RunCtx): string | null {
  return ctx.msg.dstUri;
}

/** Parts of a URI; port reads 5060 and transport `udp` when absent (Kamailio defaults). */
function parts(src: (ctx: RunCtx) => string | null, names: { user: string[]; host: string[]; port: string[]; proto: string[] }): PvClassDef[] {
  return [
    ...simple(names.user, (ctx) => orNull(uriOf(src(ctx))?.user)),
    ...simple(names.host, (ctx) => uriOf(src(ctx))?.host ?? null),
    ...simple(names.port, (ctx) => {
      const u = uriOf(src(ctx));
      return u === null ? null : u.port || 5060;
    }),
    ...simple(names.proto, (ctx) => {
      const u = uriOf(src(ctx));
      return u === null ? null : (u.param('transport') || 'udp').toLowerCase();
    }),
  ];
}

function rewrite(ctx: RunCtx, edit: (uri: string) => string | null, pv: string): void {
  const cur = currentRuri(ctx);
  if (cur === null) writeError(`${pv} can only be set in a request`);
  const next = edit(cur);
  if (next === null) writeError(`${pv}: the request URI '${cur}' cannot be rewritten`);
  ctx.msg.newUri = next;
}

export const uriPvs: PvClassDef[] = [
  ...simple(['ru', 'ruri'], currentRuri, (ctx, v) => {
    const s = needStr(v, '$ru');
    if (uriOf(s) === null) writeError(`$ru: '${s}' is not a valid URI`);
    ctx.msg.newUri = s;
  }),
  ...parts(currentRuri, { user: [], host: [], port: [], proto: ['rP'] }),
  ...simple(['rU', 'ruri.user'], (ctx) => orNull(uriOf(currentRuri(ctx))?.user), (ctx, v) =>
    rewrite(ctx, (u) => setUriUser(u, v === null ? '' : needStr(v, '$rU')), '$rU')),
  ...simple(['rd', 'ruri.domain'], (ctx) => uriOf(currentRuri(ctx))?.host ?? null, (ctx, v) =>
    rewrite(ctx, (u) => setUriHost(u, needStr(v, '$rd')), '$rd')),
  ...simple(['rp', 'ruri.port'], (ctx) => {
    const u = uriOf(currentRuri(ctx));
    return u === null ? null : u.port || 5060;
  }, (ctx, v) => rewrite(ctx, (u) => setUriPort(u, v === null ? null : needInt(v, '$rp')), '$rp')),
  ...simple(['ou', 'ouri'], originalRuri),
  ...parts(originalRuri, { user: ['oU', 'ouri.user'], host: ['od', 'ouri.domain'], port: ['op', 'ouri.port'], proto: ['oP'] }),
  ...simple(['du', 'duri'], dstUri, (ctx, v) => {
    ctx.msg.dstUri = v === null || v === '' ? null : needStr(v, '$du');
  }),
  ...parts(dstUri, { user: [], host: ['dd'], port: ['dp'], proto: ['dP'] }),
];
