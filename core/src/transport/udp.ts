/** A UDP listening socket: receives datagrams and sends from the same socket. */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';
import { SiprError, ErrorCode } from '../errors';
import { socketInfo, errnoText } from './socket-info';
import { listenName, type ListenSpec } from './listen';
import type { ReceiveInfo, SocketInfo } from './types';
import type { Logger } from '../log';

const SOCKET_BUFFER = 4 * 1024 * 1024;

/**
 * dgram resolves every destination, and dns.lookup answers even an IP literal on the next tick:
 * a closure and a tick per datagram. IP literals are answered at once; names still go to DNS.
 */
function lookup(address: string, family: unknown, cb: (err: Error | null, address: string, family: number) => void): void {
  const f = isIP(address);
  if (f !== 0) cb(null, address, f);
  else dns.lookup(address, family as number, cb);
}

export type ReceiveFn = (data: Buffer, rcv: ReceiveInfo) => void;

export class UdpTransport {
  socket!: SocketInfo;
  private sock: dgram.Socket | null = null;

  constructor(private readonly spec: ListenSpec, private readonly log: Logger, private readonly receive: ReceiveFn) {}

  /** Bind; rejects with a one-line SiprError (`listen udp:...: address already in use`). */
  open(): Promise<void> {
    const { spec } = this;
    const type = isIP(spec.address) === 6 ? 'udp6' : 'udp4';
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket({ type, reuseAddr: false, lookup: lookup as unknown as dgram.SocketOptions['lookup'] });
      const onError = (e: unknown) => {
        sock.close();
        reject(new SiprError(ErrorCode.LISTEN, `listen ${listenName(spec)}: ${errnoText(e)}`));
      };
      sock.once('error', onError);
      sock.bind(spec.port, spec.address, () => {
        sock.off('error', onError);
        const a = sock.address();
        this.socket = socketInfo('udp', a.address, a.port, spec.advertisedAddress, spec.advertisedPort);
        this.sock = sock;
        // bursts queue in the kernel instead of being dropped (capped by net.core.rmem_max)
        try {
          sock.setRecvBufferSize(SOCKET_BUFFER);
          sock.setSendBufferSize(SOCKET_BUFFER);
        } catch (e) {
          this.log.warn(`${this.socket.name}: cannot enlarge the socket buffers: ${errnoText(e)}`);
        }
        this.listen(sock);
        resolve();
      });
    });
  }

  private listen(sock: dgram.Socket): void {
    const socket = this.socket;
    // send errors land here too: send() passes no callback, to keep the hot path free of closures
    sock.on('error', (e) => this.log.error(`${socket.name}: ${errnoText(e)}`));
    sock.on('message', (data, r) => {
      this.receive(data, {
        srcIp: r.address, srcPort: r.port, dstIp: socket.address, dstPort: socket.port,
        proto: 'udp', af: socket.af, socket,
      });
    });
  }

  send(data: Buffer, address: string, port: number): boolean {
    const sock = this.sock;
    if (!sock) return false;
    sock.send(data, port, address);
    return true;
  }

  close(): Promise<void> {
    const sock = this.sock;
    this.sock = null;
    if (!sock) return Promise.resolve();
    return new Promise((resolve) => sock.close(() => resolve()));
  }
}
