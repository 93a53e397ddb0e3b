/**
 * The stream connection table: ids (so replies go back on the connection a request came on),
 * lookup by remote address (so requests to a peer reuse its open connection), idle lifetime and
 * a cap on the number of connections. One table per process, shared by all stream listeners.
 */
import net from 'node:net';
import { Connection, remoteKey, type Framer } from './connection';
import { errnoText } from './socket-info';
import type { CoreHooks } from '../hooks';
import type { Logger } from '../log';
import type { ConnectFailFn, Proto, ReceiveInfo, SocketInfo } from './types';
import type { ReceiveFn } from './udp';

export interface StreamLimits {
  /** tcp_max_connections */
  maxConnections: number;
  /** tcp_connection_lifetime, in ms: idle connections are closed after it */
  lifetimeMs: number;
  /** tcp_connect_timeout, in ms */
  connectTimeoutMs: number;
  /** bytes queued for writing on one connection before it is given up (tcp_send_timeout's role) */
  maxWriteQueue: number;
  /** tcp_crlf_ping: answer a CRLF CRLF keep-alive ping with a CRLF pong (RFC 5626 4.4.1) */
  crlfPing: boolean;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxConnections: 2048,
  lifetimeMs: 120_000,
  connectTimeoutMs: 10_000,
  maxWriteQueue: 4 * 1024 * 1024,
  crlfPing: true,
};

const CRLF = Buffer.from('\r\n');

/** A chunk that is exactly a double-CRLF ping, between messages. */
function isPing(chunk: Buffer, framer: Framer): boolean {
  return chunk.length === 4 && chunk.readUInt32BE(0) === 0x0d0a0d0a && (framer.buffered ?? 0) === 0;
}

export class ConnectionTable {
  private readonly byId = new Map<number, Connection>();
  private readonly byRemote = new Map<string, Connection>();
  private nextId = 1;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly hooks: CoreHooks,
    private readonly log: Logger,
    readonly limits: StreamLimits,
    private readonly receive: ReceiveFn,
    private readonly newFramer: () => Framer,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** Bytes written on the connections and not yet taken by the kernel. */
  queuedBytes(): number {
    let n = 0;
    for (const c of this.byId.values()) n += c.sock.writableLength;
    return n;
  }

  get(id: number): Connection | undefined {
    return this.byId.get(id);
  }

  find(proto: Proto, ip: string, port: number): Connection | undefined {
    return this.byRemote.get(remoteKey(proto, ip, port));
  }

  /** Take over an accepted socket; refused (closed) beyond tcp_max_connections. */
  accept(sock: net.Socket, local: SocketInfo): void {
    if (this.byId.size >= this.limits.maxConnections) {
      this.log.warn(`${local.name}: too many connections (${this.limits.maxConnections}), refusing ${sock.remoteAddress}:${sock.remotePort}`);
      sock.destroy();
      return;
    }
    this.add(sock, local, normalizeIp(sock.remoteAddress ?? ''), sock.remotePort ?? 0);
  }

  /** Open a connection to a peer from the given local listener; writes queue until connected. */
  connect(local: SocketInfo, ip: string, port: number): Connection | undefined {
    if (this.byId.size >= this.limits.maxConnections) {
      this.log.error(`cannot connect to ${local.proto}:${ip}:${port}: too many connections (${this.limits.maxConnections})`);
      return undefined;
    }
    // leave from the listen address (so the peer sees the address we advertise), when it can
    const bindable = local.address !== '0.0.0.0' && local.address !== '::' && net.isIP(ip) === local.af;
    const sock = net.connect({ host: ip, port, localAddress: bindable ? local.address : undefined });
    const conn = this.add(sock, local, ip, port);
    conn.connecting = true;
    const fail = (reason: string) => {
      if (!conn.connecting) return;
      // what was queued for this peer is lost: say so where the operator looks
      this.log.error(`connect to ${local.proto}:${ip}:${port}: ${reason}`);
      conn.failConnect(reason);
    };
    sock.setTimeout(this.limits.connectTimeoutMs, () => {
      fail('timed out');
      sock.destroy();
    });
    sock.once('connect', () => {
      conn.connecting = false;
      conn.connectWaiters = null;
      sock.setTimeout(0);
    });
    sock.once('error', (e) => fail(errnoText(e)));
    sock.once('close', () => fail('connection closed'));
    return conn;
  }

  /**
   * Queue bytes on a connection; false when it is closed or its write queue is over the limit.
   * While it is still connecting, onConnectFail hears about a failed connect.
   */
  write(conn: Connection, data: Buffer, onConnectFail?: ConnectFailFn): boolean {
    // destroyed (a failed connect, a reset) but its 'close' not handled yet: the bytes would be lost
    if (conn.closed || conn.sock.destroyed) return false;
    if (onConnectFail && conn.connecting) (conn.connectWaiters ??= []).push(onConnectFail);
    if (conn.sock.writableLength > this.limits.maxWriteQueue) {
      this.log.error(`${conn.proto}:${conn.remoteIp}:${conn.remotePort}: write queue over ${this.limits.maxWriteQueue} bytes, closing`);
      conn.sock.destroy();
      return false;
    }
    conn.lastActive = Date.now();
    conn.sock.write(data);
    return true;
  }

  /** Start closing connections idle for longer than the lifetime. */
  startSweeper(): void {
    if (this.sweeper) return;
    const every = Math.max(100, Math.min(1000, this.limits.lifetimeMs / 4));
    this.sweeper = setInterval(() => this.sweep(Date.now()), every);
    this.sweeper.unref();
  }

  sweep(now: number): void {
    for (const c of this.byId.values()) {
      if (now - c.lastActive > this.limits.lifetimeMs) {
        this.log.debug(`${c.proto}:${c.remoteIp}:${c.remotePort}: idle for ${now - c.lastActive} ms, closing`);
        c.sock.end();
        c.sock.destroySoon?.();
        this.drop(c);
      }
    }
  }

  closeAll(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const c of [...this.byId.values()]) {
      // shutting down is not a failed connect: nobody is told, nothing is logged
      c.connecting = false;
      c.connectWaiters = null;
      c.sock.destroy();
      this.drop(c);
    }
  }

  private add(sock: net.Socket, local: SocketInfo, ip: string, port: number): Connection {
    const conn = new Connection(this.nextId++, local.proto, local, ip, port, sock, this.newFramer());
    this.byId.set(conn.id, conn);
    this.byRemote.set(conn.key, conn);
    sock.setNoDelay(true);
    // One ReceiveInfo per connection: every message read from it shares the same facts.
    const rcv: ReceiveInfo = {
      srcIp: ip, srcPort: port, dstIp: local.address, dstPort: local.port,
      proto: local.proto, af: local.af, socket: local, connId: conn.id,
    };
    sock.on('data', (chunk: Buffer) => {
      conn.lastActive = Date.now();
      if (this.limits.crlfPing && isPing(chunk, conn.framer)) sock.write(CRLF);
      try {
        const msgs = conn.framer.push(chunk);
        for (let i = 0; i < msgs.length; i++) this.receive(msgs[i], rcv);
      } catch (e) {
        this.log.warn(`${conn.proto}:${ip}:${port}: bad stream framing (${e instanceof Error ? e.message : String(e)}), closing`);
        sock.destroy();
      }
    });
    sock.on('error', (e) => this.log.debug(`${conn.proto}:${ip}:${port}: ${errnoText(e)}`));
    sock.on('close', () => this.drop(conn));
    this.hooks.connectionOpened.call(conn);
    return conn;
  }

  /**
   * Let requests to the peer's address on `port` use this connection (force_tcp_alias, a Via
   * `alias` with tcp_accept_aliases): a NATed client's listening port is not its source port.
   */
  addAlias(conn: Connection, port: number): void {
    if (conn.closed || port === conn.remotePort) return;
    const key = remoteKey(conn.proto, conn.remoteIp, port);
    this.byRemote.set(key, conn);
    (conn.aliases ??= []).push(key);
  }

  /** Close once what is queued is written (set_*_close); from now on sends open a new connection. */
  end(conn: Connection): void {
    this.drop(conn);
    conn.sock.end();
  }

  private drop(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.byId.delete(conn.id);
    if (this.byRemote.get(conn.key) === conn) this.byRemote.delete(conn.key);
    if (conn.aliases) for (const k of conn.aliases) if (this.byRemote.get(k) === conn) this.byRemote.delete(k);
    this.hooks.connectionClosed.call(conn);
  }
}

/** `::ffff:1.2.3.4` (dual-stack sockets) -> `1.2.3.4`, so lookups by address match. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
