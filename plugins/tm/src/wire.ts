/**
 * What tm needs from the SIP message layer, in one place: building the bytes tm sends and
 * resolving where they go. The module binds it to the core's builders (sip-wire.ts); tests may
 * substitute their own.
 */
import type { SipMessage, SocketInfo, Destination, ReceiveInfo } from '@sipr/core';

export interface TmWire {
  /** The request as sent on one branch: msg with its pending changes, Request-URI `uri`, a new top Via for `socket` carrying `branch`. */
  forward(msg: SipMessage, uri: string, socket: SocketInfo, branch: string): Buffer;
  /** A reply generated here (Vias, From, To — with toTag added when the request's To has none; null: no tag, as in a 100 —, Call-ID, CSeq copied). */
  reply(req: SipMessage, code: number, reason: string, toTag: string | null): Buffer;
  /** A received reply as relayed upstream: our top Via removed; `stream` when it goes over TCP/TLS. */
  relayReply(rpl: SipMessage, stream: boolean): Buffer;
  /** CANCEL for a branch, built from the INVITE as sent on it (same Request-URI, top Via, From, To, Call-ID, CSeq number, Route). */
  cancel(sentInvite: SipMessage): Buffer;
  /** Hop-by-hop ACK for a non-2xx final reply to the INVITE sent on a branch. */
  ackNon2xx(sentInvite: SipMessage, rpl: SipMessage): Buffer;
  /** Where replies to the request go (top Via, received/rport, its stream connection). */
  replyDestination(req: SipMessage): Destination;
  /** Next hop for a URI (dst_uri or R-URI); null when it cannot be resolved. */
  resolve(uri: string): Destination | null;
  /** Parse bytes into a message (faked requests for failure routes, local requests). */
  parse(buf: Buffer, rcv: ReceiveInfo): SipMessage;
}
