/** PVs read from headers: From/To, Call-ID, CSeq, identities, credentials, body. */
import {
  displayAsWritten, parseNameAddrList, parseCredentials, type NameAddr, type PvClassDef, type RunCtx, type SipMessage, type Credentials,
} from '@sipr/core';
import { simple, orNull } from './define';

function value(msg: SipMessage, name: string): string | null {
  return msg.header(name)?.value ?? null;
}

/** Per message, per header: name-addr headers other than From/To are parsed on demand. */
const parsed = new WeakMap<SipMessage, Map<string, NameAddr | null>>();
function nameAddr(msg: SipMessage, name: string): NameAddr | null {
  let m = parsed.get(msg);
  if (!m) parsed.set(msg, (m = new Map()));
  if (m.has(name)) return m.get(name)!;
  const v = value(msg, name);
  // a header may list several values (P-Asserted-Identity: <sip:..>, <tel:..>); the first counts
  const na = v === null ? null : (parseNameAddrList(v, name)[0] ?? null);
  m.set(name, na);
  return na;
}

// bound once: a call through the package's re-export getters costs more than the call itself
const display = displayAsWritten;

/** $xu $xU $xd $xn (and $xt) for a name-addr header. */
function nameAddrPvs(get: (ctx: RunCtx) => NameAddr | null, n: { uri: string[]; user?: string[]; host?: string[]; name?: string[]; tag?: string[] }): PvClassDef[] {
  return [
    ...simple(n.uri, (ctx) => get(ctx)?.uri ?? null),
    ...simple(n.user ?? [], (ctx) => orNull(get(ctx)?.parsedUri.user)),
    ...simple(n.host ?? [], (ctx) => orNull(get(ctx)?.parsedUri.host)),
    ...simple(n.name ?? [], (ctx) => {
      const na = get(ctx);
      return na === null ? null : orNull(display(na));
    }),
    ...simple(n.tag ?? [], (ctx) => orNull(get(ctx)?.tag)),
  ];
}

/** REGISTER and PUBLISH carry Authorization, everything else Proxy-Authorization (as Kamailio picks). */
function credentials(ctx: RunCtx): Credentials | null {
  const msg = ctx.msg;
  if (!msg.isRequest) return null;
  const name = msg.method === 'REGISTER' || msg.method === 'PUBLISH' ? 'authorization' : 'proxy-authorization';
  const v = value(msg, name);
  return v === null ? null : parseCredentials(v, name);
}
function username(ctx: RunCtx): string | null {
  return credentials(ctx)?.username ?? null;
}

function bodyOf(msg: SipMessage): string | null {
  return msg.body.length === 0 ? null : msg.body.toString('latin1');
}

export const headerPvs: PvClassDef[] = [
  ...nameAddrPvs((ctx) => ctx.msg.from(), { uri: ['fu', 'from'], user: ['fU', 'from.user'], host: ['fd', 'from.domain'], name: ['fn'], tag: ['ft'] }),
  ...nameAddrPvs((ctx) => ctx.msg.to(), { uri: ['tu', 'to'], user: ['tU', 'to.user'], host: ['td', 'to.domain'], name: ['tn'], tag: ['tt'] }),
  ...nameAddrPvs((ctx) => nameAddr(ctx.msg, 'p-asserted-identity'), { uri: ['ai'] }),
  ...nameAddrPvs((ctx) => nameAddr(ctx.msg, 'p-preferred-identity'), { uri: ['pu'], user: ['pU'], host: ['pd'], name: ['pn'] }),
  ...nameAddrPvs((ctx) => nameAddr(ctx.msg, 'remote-party-id'), { uri: ['re'] }),
  ...nameAddrPvs((ctx) => nameAddr(ctx.msg, 'diversion'), { uri: ['di'] }),
  ...simple('dir', (ctx) => orNull(nameAddr(ctx.msg, 'diversion')?.params.find((p) => p.name.toLowerCase() === 'reason')?.value)),
  ...simple('dip', (ctx) => orNull(nameAddr(ctx.msg, 'diversion')?.params.find((p) => p.name.toLowerCase() === 'privacy')?.value)),
  ...nameAddrPvs((ctx) => nameAddr(ctx.msg, 'refer-to'), { uri: ['rt'] }),
  ...simple(['ci', 'callid'], (ctx) => ctx.msg.callId()),
  ...simple('cs', (ctx) => ctx.msg.cseq().numText),
  ...simple(['rm', 'method'], (ctx) => (ctx.msg.isRequest ? ctx.msg.method : ctx.msg.cseq().method)),
  ...simple('rs', (ctx) => (ctx.msg.isRequest ? null : ctx.msg.status)),
  ...simple('rr', (ctx) => (ctx.msg.isRequest ? null : ctx.msg.reason)),
  ...simple('ct', (ctx) => value(ctx.msg, 'contact')),
  ...simple('cT', (ctx) => value(ctx.msg, 'content-type')),
  ...simple('cl', (ctx) => {
    const v = value(ctx.msg, 'content-length');
    return v === null || !/^\d+$/.test(v) ? null : Number(v);
  }),
  ...simple('bs', (ctx) => ctx.msg.body.length),
  ...simple('rb', (ctx) => bodyOf(ctx.msg)),
  ...simple(['ua', 'user_agent'], (ctx) => value(ctx.msg, 'user-agent')),
  ...simple('au', username),
  // accounting user: credentials checked by an auth module would win; sipr has none yet, so it is
  // the From URI's user@host, as kamailio prints it for a request nobody authenticated
  ...simple('Au', (ctx) => {
    const u = ctx.msg.from().parsedUri;
    return u.user ? `${u.user}@${u.host}` : u.host;
  }),
  ...simple('aU', (ctx) => {
    const u = username(ctx);
    return u === null ? null : u.split('@')[0];
  }),
  // a username without '@' has an empty (not undefined) domain
  ...simple('ad', (ctx) => {
    const u = username(ctx);
    if (u === null) return null;
    const at = u.indexOf('@');
    return at < 0 ? '' : u.slice(at + 1);
  }),
  ...simple('ar', (ctx) => credentials(ctx)?.realm ?? null),
  ...simple('adu', (ctx) => credentials(ctx)?.uri ?? null),
];
