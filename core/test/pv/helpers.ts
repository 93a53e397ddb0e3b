import { Core } from '../../src/core';
import type { RunCtx } from '../../src/script/types';
import type { SipMessage } from '../../src/sip/types';
import type { ReceiveInfo, SocketInfo } from '../../src/transport/types';
import { parseMessage } from '../../src/sip/message';

export const socket: SocketInfo = { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' };
export const rcv: ReceiveInfo = { srcIp: '127.0.0.2', srcPort: 5070, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4, socket };

export function sipMsg(lines: string[], body = ''): SipMessage {
  const withLen = [...lines, `Content-Length: ${Buffer.byteLength(body, 'latin1')}`];
  return parseMessage(Buffer.from(withLen.join('\r\n') + '\r\n\r\n' + body, 'latin1'), rcv);
}

export const INVITE = [
  'INVITE sip:bob@example.com:5080;transport=tcp;user=phone SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK-1;rport',
  'Via: SIP/2.0/TCP proxy.example.net;branch=z9hG4bK-2;received=192.0.2.9',
  'From: "Alice Liddell" <sip:alice@atlanta.example.com>;tag=a73kszlfl',
  'To: Bob <sip:bob@example.com>',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@10.0.0.1:5062>;expires=60;q=0.7',
  'Max-Forwards: 70',
  'User-Agent: softphone/1.0',
  'X-Multi: one',
  'X-Multi: two, three',
  'Content-Type: application/sdp',
];

export function newCore(mode: 'kamailio' | 'ser' | 'all' = 'kamailio'): Core {
  const core = new Core();
  core.compatMode = mode;
  return core;
}

export function newCtx(core: Core, msg: SipMessage = sipMsg(INVITE)): RunCtx {
  return { core, msg, routeType: 1, rc: 1, sflags: 0, branches: [], stores: core.pv.newStores(), slots: new Map() };
}
