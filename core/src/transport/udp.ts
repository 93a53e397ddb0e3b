/** A UDP listening socket: receives datagrams and sends from the same socket. */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { SiprError, ErrorCode } from '../errors';
import { socketInfo, errnoText } from './socket-info';
import type { ListenSpec } from './listen';
import type { ReceiveInfo, SocketInfo } from './types';
import type { Logger } from '../log';

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
      const sock = dgram.createSocket({ type, reuseAddr: false });
      const onError = (e: unknown) => {
        sock.close();
        reject(new SiprError(ErrorCode.LISTEN, `listen udp:${spec.address}:${spec.port}: ${errnoText(e)}`));
      };
      sock.once('error', onError);
      sock.bind(spec.port, spec.address, () => {
        sock.off('error', onError);
        const a = sock.address();
        this.socket = socketInfo('udp', a.address, a.port);
        this.sock = sock;
        this.listen(sock);
        resolve();
      });
    });
  }

  private listen(sock: dgram.Socket): void {
    const socket = this.socket;
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
    sock.send(data, port, address, (e) => {
      if (e) this.log.error(`send to udp:${address}:${port} from ${this.socket.name}: ${errnoText(e)}`);
    });
    return true;
  }

  close(): Promise<void> {
    const sock = this.sock;
    this.sock = null;
    if (!sock) return Promise.resolve();
    return new Promise((resolve) => sock.close(() => resolve()));
  }
}
