/** Where replies go (RFC 3261 18.2.2 with RFC 3581 rport). */
import type { Destination, Proto } from '../transport/types';
import type { SipMessage } from './types';
import { SipParseError } from './types';
import { findParam } from './text';

const STREAM: Record<Proto, boolean> = { udp: false, sctp: false, tcp: true, tls: true, ws: true, wss: true };

export function isStream(proto: Proto): boolean {
  return STREAM[proto];
}

export function defaultPort(proto: Proto | string): number {
  const p = proto.toLowerCase();
  return p === 'tls' || p === 'wss' ? 5061 : 5060;
}

/**
 * Stream transports: back on the connection the request came in on (to its source address).
 * Datagrams: to `maddr` when the top Via has one, else to the source address with the rport
 * (when the client asked for it) or the Via port.
 */
export function replyDestination(msg: SipMessage): Destination {
  const rcv = msg.rcv;
  if (STREAM[rcv.proto]) {
    const d: Destination = { proto: rcv.proto, address: rcv.srcIp, port: rcv.srcPort, socket: rcv.socket };
    if (rcv.connId !== undefined) d.connId = rcv.connId;
    return d;
  }
  const via = msg.via();
  if (via === undefined) throw new SipParseError('missing via header', 'via');
  if (via.rport !== undefined || msg.forceRport === true) return { proto: rcv.proto, address: rcv.srcIp, port: rcv.srcPort, socket: rcv.socket };
  const maddr = findParam(via.params, 'maddr');
  const port = via.port || defaultPort(via.transport);
  if (maddr) return { proto: rcv.proto, address: stripBrackets(maddr), port, socket: rcv.socket };
  return { proto: rcv.proto, address: rcv.srcIp, port, socket: rcv.socket };
}

export function stripBrackets(host: string): string {
  return host.charCodeAt(0) === 91 && host.charCodeAt(host.length - 1) === 93 ? host.slice(1, -1) : host;
}
