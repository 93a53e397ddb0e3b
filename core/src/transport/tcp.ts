/** A TCP listening socket; accepted connections go to the shared connection table. */
import net from 'node:net';
import { SiprError, ErrorCode } from '../errors';
import { socketInfo, errnoText } from './socket-info';
import { listenName, type ListenSpec } from './listen';
import type { ConnectionTable } from './connections';
import type { SocketInfo } from './types';

export class TcpListener {
  socket!: SocketInfo;
  private server: net.Server | null = null;

  constructor(private readonly spec: ListenSpec, private readonly table: ConnectionTable) {}

  open(): Promise<void> {
    const { spec } = this;
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true });
      const onError = (e: unknown) => {
        server.close();
        reject(new SiprError(ErrorCode.LISTEN, `listen ${listenName(spec)}: ${errnoText(e)}`));
      };
      server.once('error', onError);
      server.listen({ port: spec.port, host: spec.address, backlog: 1024 }, () => {
        server.off('error', onError);
        const a = server.address() as net.AddressInfo;
        this.socket = socketInfo('tcp', a.address, a.port, spec.advertisedAddress, spec.advertisedPort);
        this.server = server;
        server.on('connection', (sock) => this.table.accept(sock, this.socket));
        resolve();
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
