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
