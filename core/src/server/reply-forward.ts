/**
 * Stateless reply forwarding (RFC 3261 18.2.2, RFC 3581 4): the top Via (ours) is removed and
 * the reply goes to the next Via's received/rport or sent-by address, over its transport.
 */
import type { Core } from '../core';
import type { SipMsg } from '../sip/message';
import { buildForward } from '../sip/forward';
import { defaultPort, stripBrackets } from '../sip/destination';
import { isMyself } from '../script/myself';
import type { Destination, Proto, SocketInfo } from '../transport/types';

const PROTOS: Record<string, Proto> = { UDP: 'udp', TCP: 'tcp', TLS: 'tls', WS: 'ws', WSS: 'wss', SCTP: 'sctp' };

/**
 * Whether a Via sent-by names one of our sockets, by its own or its advertised address and port
 * (port 0 = the default port of its transport).
 */
export function viaIsOurs(sockets: readonly SocketInfo[], host: string, port: number): boolean {
  const h = host.startsWith('[') ? host.slice(1, -1).toLowerCase() : host.toLowerCase();
  for (const s of sockets) {
    const p = port || defaultPort(s.proto);
    if (p !== s.port && p !== s.advertisedPort) continue;
    if (s.address === h || s.advertisedAddress?.toLowerCase() === h || s.address === '0.0.0.0' || s.address === '::') return true;
  }
  return false;
}

/**
 * Forward a reply to the previous hop. Returns false (and logs why at debug level) when the reply
 * is not for us, has no second Via, or cannot be sent.
 */
export function forwardReply(core: Core, msg: SipMsg): boolean {
  const log = core.log;
  const vias = msg.vias();
  const sender = core.sender;
  if (!sender) return false;
  const top = vias[0];
  // ours: one of our sockets (real or advertised sent-by), or an `alias`
  if (!viaIsOurs(sender.sockets ?? [], top.host, top.port) && !isMyself(core, top.host, top.port || 5060, top.transport)) {
    log.debug(`reply ${msg.status} dropped: top Via ${top.host}:${top.port} is not ours`);
    return false;
  }
  if (vias.length < 2) {
    log.debug(`reply ${msg.status} dropped: no second Via to forward it to`);
    return false;
  }
  const next = vias[1];
  const proto = PROTOS[next.transport];
  if (proto === undefined) {
    log.debug(`reply ${msg.status} dropped: unknown transport ${next.transport} in the second Via`);
    return false;
  }
  const rport = next.rport ? Number(next.rport) : 0;
  const dst: Destination = {
    proto,
    address: stripBrackets(next.received ?? next.host),
    port: rport > 0 ? rport : next.port || defaultPort(proto),
  };
  // the SIP layer drops our Via value (or the whole field) and applies the script's changes
  const out = buildForward(msg, { stream: proto !== 'udp', socket: sender.socketFor(dst) });
  return sender.send(dst, out);
}
