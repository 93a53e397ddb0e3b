import type { ReceiveInfo, SocketInfo } from '../../src/transport/types';

export const udpSocket: SocketInfo = { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' };

export function rcvFrom(srcIp = '10.0.0.9', srcPort = 5070, proto: ReceiveInfo['proto'] = 'udp', connId?: number): ReceiveInfo {
  const af = srcIp.includes(':') ? 6 : 4;
  const socket: SocketInfo = { ...udpSocket, proto, af, name: `${proto}:127.0.0.1:5060` };
  return { srcIp, srcPort, dstIp: '127.0.0.1', dstPort: 5060, proto, af, socket, ...(connId === undefined ? {} : { connId }) };
}

/** Message text with LF line ends turned into CRLF. */
export function crlf(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SipParseError, type SipMsg } from '../../src/sip';

export const CORPUS = join(__dirname, '../../../test/corpus');

export function corpusFile(rel: string): Buffer {
  return readFileSync(join(CORPUS, rel));
}

/**
 * Read every typed accessor; only SipParseError may come out. Returns how many accessors
 * threw it, so callers can assert something about the message as well.
 */
export function touchAll(m: SipMsg): number {
  let errors = 0;
  const calls: (() => unknown)[] = [
    () => m.method,
    () => m.body.length,
    () => m.headers.map((h) => h.value),
    () => (m.isRequest ? m.uri() : null),
    () => m.vias(),
    () => m.via(),
    () => m.from(),
    () => m.to(),
    () => m.cseq(),
    () => m.callId(),
    () => m.contacts(),
    () => m.routes(),
    () => m.recordRoutes(),
    () => m.maxForwards(),
    () => m.contentType(),
    () => m.expires(),
    () => m.event(),
    () => m.credentials('authorization'),
    () => m.credentials('proxy-authorization'),
    () => m.credentials('www-authenticate'),
    () => m.credentials('proxy-authenticate'),
    () => m.tokens('supported'),
    () => m.tokens('require'),
    () => m.tokens('proxy-require'),
    () => m.tokens('unsupported'),
    () => m.tokens('allow'),
    () => m.userAgent(),
    () => m.server(),
  ];
  for (const call of calls) {
    try {
      call();
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      errors++;
    }
  }
  return errors;
}
