/**
 * In-process harness: a Core on a FakeClock, a recording Sender, tm registered on it, routes as
 * plain functions. Messages go through the real SIP parser and builders.
 */
import { Core, FakeClock, parseMessage, RouteType, type SocketInfo, type Destination, type ReceiveInfo, type RunCtx, type CompiledRoute, type RouteKind, type ScriptApi, type SipMsg, type ConnectFailFn } from '@sipr/core';
import { adaptSer, apply } from '@sipr/compat';
import tmModule, { tmOf } from '../src';
import { makeCtx } from '../src/ctx';

export const sock: SocketInfo = { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' };
export const UAC = { ip: '127.0.0.2', port: 5070 };

export interface Sent {
  dst: Destination;
  text: string;
  at: number;
  /** what the transport would call if the stream connect behind this send failed */
  onConnectFail?: ConnectFailFn;
}

/** `withTmx`: load pv, tm and tmx through the module registry, as `loadmodule` does. */
export function harness(routes: Partial<Record<`${RouteKind}:${string}`, CompiledRoute>> = {}, withTmx = false) {
  const tm = adaptSer(tmModule);
  const clock = new FakeClock(0);
  const core = new Core({ clock });
  const sent: Sent[] = [];
  core.sender = {
    send: (dst: Destination, buf: Buffer, onConnectFail?: ConnectFailFn) => { sent.push({ dst, text: buf.toString('latin1'), at: core.timer.now(), onConnectFail }); return true; },
    socketFor: (dst: Destination) => (dst.proto === 'udp' ? sock : { ...sock, proto: dst.proto, name: `${dst.proto}:127.0.0.1:5060` }),
  };
  const script: ScriptApi = {
    route: (kind, name) => routes[`${kind}:${name}`],
    has: (kind, name) => routes[`${kind}:${name}`] !== undefined,
    isAsync: () => false,
  };
  core.script = script;
  if (withTmx) {
    apply(core);
    // pv brings the PVs ($rm, $ci, ...) that $T_req()/$T_rpl() wrap
    for (const name of ['pv', 'tm', 'tmx']) core.modules.load(name);
    for (const name of ['pv', 'tm', 'tmx']) void core.modules.get(name)!.descriptor.init?.(core);
  } else tm.register!(core);
  const engine = tmOf(core);
  const rcv = (ip: string, port: number, proto: 'udp' | 'tcp' = 'udp'): ReceiveInfo =>
    ({ srcIp: ip, srcPort: port, dstIp: '127.0.0.1', dstPort: 5060, proto, af: 4, socket: proto === 'udp' ? sock : { ...sock, proto, name: 'tcp:127.0.0.1:5060' }, ...(proto === 'tcp' ? { connId: 7 } : {}) });

  /** A request from the UAC through the request route `route`. */
  function request(text: string, route: (ctx: RunCtx) => unknown, from = UAC, proto: 'udp' | 'tcp' = 'udp'): RunCtx {
    const msg = parseMessage(Buffer.from(text.replace(/\n/g, '\r\n')), rcv(from.ip, from.port, proto));
    const ctx = makeCtx(core, msg, RouteType.REQUEST, core.pv.newStores(), null);
    route(ctx);
    core.hooks.postScript.call(ctx);
    return ctx;
  }

  /** A reply from downstream to a request we sent (its Vias copied from `sentText`). */
  function reply(sentText: string, code: number, reason: string, opts: { toTag?: string; from?: { ip: string; port: number }; headers?: string[] } = {}): number {
    const req = parseMessage(Buffer.from(sentText, 'latin1'), rcv('127.0.0.1', 5060)) as SipMsg;
    const lines = [`SIP/2.0 ${code} ${reason}`];
    for (const h of req.headers) {
      if (h.key === 'via' || h.key === 'from' || h.key === 'call-id' || h.key === 'cseq') lines.push(`${h.name}: ${h.value}`);
      if (h.key === 'to') lines.push(`To: ${h.value}${opts.toTag && !h.value.includes('tag=') ? ';tag=' + opts.toTag : ''}`);
    }
    lines.push(...(opts.headers ?? []), 'Content-Length: 0', '', '');
    const from = opts.from ?? { ip: '127.0.0.3', port: 5080 };
    const msg = parseMessage(Buffer.from(lines.join('\r\n')), rcv(from.ip, from.port));
    const ctx = makeCtx(core, msg, RouteType.ONREPLY, core.pv.newStores(), null);
    return engine.onReply(ctx);
  }

  /** Call a tm script function by name. */
  function fn(name: string, ctx: RunCtx, ...params: (string | number)[]): number {
    const f = tm.functions.find((x) => x.name === name && x.arity === params.length)!;
    const pos = { file: 'test.cfg', line: 1, column: 1 };
    const sp = params.map((value) => ({ value, pos }));
    const fixed = f.fixup ? f.fixup(sp, { core, fn: name, routeType: ctx.routeType, pos, params: sp }) : params;
    return f.impl(ctx, ...fixed) as number;
  }

  const sentTo = (port: number) => sent.filter((s) => s.dst.port === port);
  const firstLines = (list: Sent[]) => list.map((s) => s.text.slice(0, s.text.indexOf('\r\n')));
  return { core, clock, sent, engine, request, reply, fn, sentTo, firstLines };
}

export function invite(opts: { callId?: string; branch?: string; ruri?: string; method?: string; cseq?: number } = {}): string {
  const method = opts.method ?? 'INVITE';
  return `${method} ${opts.ruri ?? 'sip:bob@127.0.0.3:5080'} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.2:5070;branch=${opts.branch ?? 'z9hG4bK-uac-1'}
Max-Forwards: 70
From: <sip:alice@127.0.0.2>;tag=a1
To: <sip:bob@127.0.0.3>
Call-ID: ${opts.callId ?? 'call-1@test'}
CSeq: ${opts.cseq ?? 1} ${method === 'ACK' || method === 'CANCEL' ? method : method}
Content-Length: 0

`;
}
