/** R-URI, original R-URI and destination URI PVs; writes change the message's routing state. */
import { parseUriCached, type PvClassDef, type PvValue, type RunCtx, type SipUri } from '@sipr/core';
import { simple, needInt, needStr, orNull, writeError, type Setter } from './define';
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

// the message caches its own parsed R-URI; only a rewritten one goes through the shared cache
function currentUri(ctx: RunCtx): SipUri | null {
  const m = ctx.msg;
  return m.isRequest ? (m.newUri === null ? m.uri() : uriOf(m.newUri)) : null;
}
function originalUri(ctx: RunCtx): SipUri | null {
  return ctx.msg.isRequest ? ctx.msg.uri() : null;
}
function dstUri(ctx: RunCtx): SipUri | null {
  return uriOf(ctx.msg.dstUri);
}

type Names = { user: string[]; host: string[]; port: string[]; proto: string[] };
type Setters = { user?: Setter; host?: Setter; port?: Setter };

/** Parts of a URI; port reads 5060 and transport `udp` when absent (Kamailio defaults). */
function parts(src: (ctx: RunCtx) => SipUri | null, names: Names, set: Setters = {}): PvClassDef[] {
  return [
    ...simple(names.user, (ctx) => orNull(src(ctx)?.user), set.user),
    ...simple(names.host, (ctx) => orNull(src(ctx)?.host), set.host),
    ...simple(names.port, (ctx) => {
      const u = src(ctx);
      return u === null ? null : u.port || 5060;
    }, set.port),
    ...simple(names.proto, (ctx) => {
      const u = src(ctx);
      // the parameter as written (`UDP` stays upper-case), `udp` when absent
      return u === null ? null : u.param('transport') || 'udp';
    }),
  ];
}

/** A write to one part of the R-URI: edit its text, keep the rest as written. */
function rewrite(pv: string, edit: (uri: string, v: PvValue) => string | null): Setter {
  return (ctx, v) => {
    const cur = currentRuri(ctx);
    if (cur === null) writeError(`${pv} can only be set in a request`);
    const next = edit(cur, v);
    if (next === null) writeError(`${pv}: the request URI '${cur}' cannot be rewritten`);
    ctx.msg.newUri = next;
  };
}

export const uriPvs: PvClassDef[] = [
  ...simple(['ru', 'ruri'], currentRuri, (ctx, v) => {
    const s = needStr(v, '$ru');
    if (uriOf(s) === null) writeError(`$ru: '${s}' is not a valid URI`);
    ctx.msg.newUri = s;
  }),
  ...parts(currentUri, { user: ['rU', 'ruri.user'], host: ['rd', 'ruri.domain'], port: ['rp', 'ruri.port'], proto: ['rP'] }, {
    user: rewrite('$rU', (u, v) => setUriUser(u, v === null ? '' : needStr(v, '$rU'))),
    host: rewrite('$rd', (u, v) => setUriHost(u, needStr(v, '$rd'))),
    port: rewrite('$rp', (u, v) => setUriPort(u, v === null ? null : needInt(v, '$rp'))),
  }),
  // Kamailio's URI parser turns sip(s) with user=phone into tel(s), and $rz shows that
  ...simple('rz', (ctx) => {
    const u = currentUri(ctx);
    if (u === null) return null;
    return (u.scheme === 'sip' || u.scheme === 'sips') && u.param('user') === 'phone' ? (u.scheme === 'sip' ? 'tel' : 'tels') : u.scheme;
  }),
  ...simple(['ou', 'ouri'], (ctx) => (ctx.msg.isRequest ? ctx.msg.ruri : null)),
  ...parts(originalUri, { user: ['oU', 'ouri.user'], host: ['od', 'ouri.domain'], port: ['op', 'ouri.port'], proto: ['oP'] }),
  ...simple(['du', 'duri'], (ctx) => ctx.msg.dstUri, (ctx, v) => {
    ctx.msg.dstUri = v === null || v === '' ? null : needStr(v, '$du');
  }),
  ...parts(dstUri, { user: [], host: ['dd'], port: ['dp'], proto: ['dP'] }),
];
