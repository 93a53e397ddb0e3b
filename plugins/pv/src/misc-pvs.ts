/** Transport, message, flag and onsend PVs. */
import { errInfoOf, sipVersion, type PvClassDef, type RunCtx, type SocketInfo } from '@sipr/core';
import { simple, needInt, needStr, writeError } from './define';

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** `$mf`/`$mF` style pair: decimal int and 8-digit hex string, both writable with an int. */
function flagPvs(dec: string, hex: string, get: (ctx: RunCtx) => number, set: (ctx: RunCtx, n: number) => void): PvClassDef[] {
  const write = (name: string) => (ctx: RunCtx, v: unknown) => set(ctx, v === null ? 0 : needInt(v as number | string, name));
  return [...simple(dec, get, write('$' + dec)), ...simple(hex, (ctx) => hex8(get(ctx)), write('$' + hex))];
}

/** A listening socket by `proto:ip:port` (or `ip:port` for udp), from the transport layer's list. */
function findSocket(ctx: RunCtx, name: string): SocketInfo | undefined {
  const list = (ctx.core.sender as unknown as { sockets?: readonly SocketInfo[] } | null)?.sockets ?? [];
  const full = /^(udp|tcp|tls|sctp|ws|wss):/i.test(name) ? name.toLowerCase() : `udp:${name}`;
  return list.find((s) => s.name === full);
}

// --- $snd: the onsend_route context (3.0: local socket used for sending)
/** An address as the onsend PVs read it: ip, port, proto, af. */
interface Endpoint {
  address: string;
  port: number;
  proto: string;
  af: 4 | 6;
}

type SendCtx = NonNullable<RunCtx['send']>;
const SND: Record<string, (s: SendCtx, e: Endpoint | undefined) => string | number | null> = {
  ip: (_s, e) => e?.address ?? null,
  // AF_INET / AF_INET6 as the C values Kamailio prints
  af: (_s, e) => (e ? (e.af === 6 ? 10 : 2) : null),
  port: (_s, e) => e?.port ?? null,
  proto: (_s, e) => e?.proto ?? null,
  buf: (s) => s.buf.toString('latin1'),
  len: (s) => s.buf.length,
};

/**
 * `$snd(key)` (3.0: the local socket used to send) and, from later releases, `$sndfrom(key)`
 * (the same) and `$sndto(key)` (the destination); null outside onsend_route.
 */
function sendClass(name: string, endpoint: (ctx: RunCtx, s: SendCtx) => Endpoint | undefined): PvClassDef {
  return {
    name,
    inner: 'required',
    parseInner(inner: string) {
      const f = SND[inner.trim()];
      if (!f) throw new Error(`unknown $${name} key '${inner}' (ip af port proto buf len)`);
      return f;
    },
    get(ctx, f: (typeof SND)[string]) {
      const s = ctx.send;
      return s ? f(s, endpoint(ctx, s)) : null;
    },
  };
}

const localSocket = (ctx: RunCtx, s: SendCtx) => s.dst.socket ?? ctx.core.sender?.socketFor(s.dst);
const destination = (_ctx: RunCtx, s: SendCtx): Endpoint => ({
  address: s.dst.address,
  port: s.dst.port,
  proto: s.dst.proto,
  af: s.dst.address.includes(':') ? 6 : 4,
});

export function miscPvs(): PvClassDef[] {
  return [
    ...simple(['si', 'src_ip'], (ctx) => ctx.msg.rcv.srcIp),
    ...simple(['sp', 'src_port'], (ctx) => ctx.msg.rcv.srcPort),
    ...simple(['Ri'], (ctx) => ctx.msg.rcv.dstIp),
    ...simple(['Rp'], (ctx) => ctx.msg.rcv.dstPort),
    ...simple(['pr', 'proto'], (ctx) => ctx.msg.rcv.proto),
    ...simple('RAi', (ctx) => ctx.msg.rcv.socket.advertisedAddress ?? ctx.msg.rcv.socket.address),
    ...simple('RAp', (ctx) => ctx.msg.rcv.socket.advertisedPort ?? ctx.msg.rcv.socket.port),
    ...simple('rv', (ctx) => sipVersion(ctx.msg)),
    ...simple('fs', (ctx) => ctx.msg.forceSocket?.name ?? null, (ctx, v) => {
      if (v === null) {
        ctx.msg.forceSocket = null;
        return;
      }
      const name = needStr(v, '$fs');
      const sock = findSocket(ctx, name);
      if (!sock) writeError(`$fs: no listening socket '${name}'`);
      ctx.msg.forceSocket = sock;
    }),
    ...simple('ml', (ctx) => ctx.msg.buf.length),
    ...simple('mb', (ctx) => ctx.msg.buf.toString('latin1')),
    ...simple('mi', (ctx) => ctx.msg.id),
    ...simple('pp', () => process.pid),
    ...simple('null', () => null),
    // the last parse error of the run (written `$(err.class)`: a bare `$err` stops at the dot)
    ...simple('err.class', (ctx) => errInfoOf(ctx)?.cls ?? 0),
    ...simple('err.level', (ctx) => errInfoOf(ctx)?.level ?? 0),
    ...simple('err.info', (ctx) => errInfoOf(ctx)?.info ?? null),
    ...simple('err.rcode', (ctx) => errInfoOf(ctx)?.rcode ?? 0),
    ...simple('err.rreason', (ctx) => errInfoOf(ctx)?.rreason ?? null),
    ...flagPvs('mf', 'mF', (ctx) => ctx.msg.flags, (ctx, n) => { ctx.msg.flags = n; }),
    ...flagPvs('bf', 'bF', (ctx) => ctx.msg.bflags, (ctx, n) => { ctx.msg.bflags = n; }),
    ...flagPvs('sf', 'sF', (ctx) => ctx.sflags, (ctx, n) => { ctx.sflags = n; }),
    sendClass('snd', localSocket),
    sendClass('sndfrom', localSocket),
    sendClass('sndto', destination),
    ...simple('mt', (ctx) => (ctx.msg.isRequest ? 1 : 2)),
    ...simple('conid', (ctx) => ctx.msg.rcv.connId ?? null),
  ];
}
