/** TmWire on the core's SIP message layer (builders, parser, reply destination). */
import {
  parseMessage, buildForward, buildReply, buildCancel, buildAckForNon2xx, replyDestination, parseUri, isIpv4, isIpv6Body,
  type SipMsg, type SipMessage, type Destination, type Proto,
} from '@sipr/core';
import type { TmWire } from './wire';

const PROTOS: Record<string, Proto> = { udp: 'udp', tcp: 'tcp', tls: 'tls', sctp: 'sctp', ws: 'ws', wss: 'wss' };

/**
 * Next hop of a SIP URI: its host and port, transport from `;transport=` (TLS for sips).
 * Only literal addresses (and localhost) resolve: the core has no DNS resolver yet.
 */
export function uriDestination(uri: string): Destination | null {
  let u;
  try {
    u = parseUri(uri);
  } catch {
    return null;
  }
  if (u.scheme !== 'sip' && u.scheme !== 'sips') return null;
  const tp = u.param('transport');
  const proto = u.scheme === 'sips' ? 'tls' : PROTOS[(typeof tp === 'string' ? tp : 'udp').toLowerCase()];
  if (!proto) return null;
  let host = u.host;
  if (host.startsWith('[')) host = host.slice(1, -1);
  if (host.toLowerCase() === 'localhost') host = '127.0.0.1';
  if (!isIpv4(host) && !isIpv6Body(host)) return null;
  return { proto, address: host, port: u.port || (proto === 'tls' || proto === 'wss' ? 5061 : 5060) };
}

export const sipWire: TmWire = {
  forward(msg, uri, socket, branch) {
    return buildForward(msg as SipMsg, {
      ruri: uri,
      via: { transport: socket.proto, host: socket.advertisedAddress ?? socket.address, port: socket.advertisedPort ?? socket.port, branch },
      stream: socket.proto !== 'udp',
      socket,
    });
  },
  reply(req, code, reason, toTag) {
    return buildReply(req as SipMsg, code, reason, { toTag });
  },
  relayReply(rpl, stream) {
    return buildForward(rpl as SipMsg, { stream });
  },
  cancel(sent) {
    return buildCancel(sent as SipMsg);
  },
  ackNon2xx(sent, rpl) {
    return buildAckForNon2xx(sent as SipMsg, rpl as SipMsg);
  },
  replyDestination(req: SipMessage) {
    return replyDestination(req);
  },
  resolve: uriDestination,
  parse(buf, rcv) {
    return parseMessage(buf, rcv);
  },
};
