/**
 * The transport layer of one process: opens the listen sockets, hands every received message to
 * one receive function, and implements core.sender (synchronous queueing, netDataOut hook).
 */
import { OPEN_PROTOS, listenName, type ListenSpec } from './listen';
import { UdpTransport, type ReceiveFn } from './udp';
import { TcpListener } from './tcp';
import { ConnectionTable, DEFAULT_STREAM_LIMITS, type StreamLimits } from './connections';
import type { Framer } from './connection';
import { SiprError, ErrorCode } from '../errors';
import type { Core } from '../core';
import type { Logger } from '../log';
import type { ConnectFailFn, Destination, Sender, SocketInfo } from './types';

export interface TransportOptions {
  limits?: Partial<StreamLimits>;
  /** Makes the framer that cuts a TCP byte stream into SIP messages (one per connection). */
  newFramer: () => Framer;
}

export class TransportLayer implements Sender {
  readonly sockets: SocketInfo[] = [];
  readonly connections: ConnectionTable;
  private readonly udp = new Map<SocketInfo, UdpTransport>();
  private readonly tcp: TcpListener[] = [];
  private readonly log: Logger;

  /** `dispatch` receives every datagram and every framed stream message. */
  constructor(private readonly core: Core, private readonly dispatch: ReceiveFn, opts: TransportOptions) {
    this.log = core.log.child('transport');
    this.connections = new ConnectionTable(core.hooks, this.log, { ...DEFAULT_STREAM_LIMITS, ...opts.limits }, dispatch, opts.newFramer);
  }

  /** Bind every socket; on the first failure close what was opened and reject with its error. */
  async open(specs: readonly ListenSpec[]): Promise<void> {
    try {
      for (const spec of specs) {
        if (!OPEN_PROTOS.includes(spec.proto)) {
          throw new SiprError(ErrorCode.LISTEN, `listen ${listenName(spec)}: protocol ${spec.proto} is not supported yet`);
        }
        if (spec.proto === 'udp') {
          const t = new UdpTransport(spec, this.log, this.dispatch);
          await t.open();
          this.udp.set(t.socket, t);
          this.sockets.push(t.socket);
        } else {
          const t = new TcpListener(spec, this.connections);
          await t.open();
          this.tcp.push(t);
          this.sockets.push(t.socket);
        }
      }
    } catch (e) {
      await this.close();
      throw e;
    }
    this.connections.startSweeper();
  }

  async close(): Promise<void> {
    this.connections.closeAll();
    const all: Promise<void>[] = [];
    for (const t of this.udp.values()) all.push(t.close());
    for (const t of this.tcp) all.push(t.close());
    await Promise.all(all);
    this.udp.clear();
    this.tcp.length = 0;
    this.sockets.length = 0;
  }

  send(dst: Destination, data: Buffer, onConnectFail?: ConnectFailFn): boolean {
    const hook = this.core.hooks.netDataOut;
    const out = hook.isUsed() ? hook.call(data, dst) : data;
    if (out === null) return false;
    if (dst.proto === 'udp') {
      const sock = this.socketFor(dst);
      const t = sock && this.udp.get(sock);
      if (!t) return this.noSocket(dst);
      return t.send(out, dst.address, dst.port);
    }
    if (dst.proto === 'tcp') {
      const table = this.connections;
      let conn = dst.connId !== undefined ? table.get(dst.connId) : undefined;
      if (!conn || conn.closed) conn = table.find('tcp', dst.address, dst.port);
      if (!conn) {
        if (dst.noConnect) {
          this.log.debug(`no open tcp connection to ${dst.address}:${dst.port} and connecting is not allowed`);
          return false;
        }
        const local = this.socketFor(dst);
        if (!local) return this.noSocket(dst);
        conn = table.connect(local, dst.address, dst.port);
        if (!conn) return false;
      }
      const ok = table.write(conn, out, onConnectFail);
      if (dst.close) table.end(conn);
      return ok;
    }
    return this.noSocket(dst);
  }

  /** An alias port for a stream connection; false when the connection is gone. */
  addAlias(connId: number, port: number): boolean {
    const c = this.connections.get(connId);
    if (!c) return false;
    this.connections.addAlias(c, port);
    return true;
  }

  socketFor(dst: Destination): SocketInfo | undefined {
    if (dst.socket && dst.socket.proto === dst.proto) return dst.socket;
    if (dst.connId !== undefined) {
      const c = this.connections.get(dst.connId);
      if (c) return c.local;
    }
    const af = dst.address.includes(':') ? 6 : 4;
    let fallback: SocketInfo | undefined;
    for (const s of this.sockets) {
      if (s.proto !== dst.proto) continue;
      if (s.af === af) return s;
      fallback ??= s;
    }
    return fallback;
  }

  private noSocket(dst: Destination): false {
    this.log.error(`no ${dst.proto} socket to send to ${dst.address}:${dst.port}`);
    return false;
  }
}
