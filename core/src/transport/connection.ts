/**
 * One stream connection (accepted or opened by us). Node's socket queues writes while connecting
 * and while the kernel buffer is full, so send() stays synchronous; the queue is capped so a
 * stalled peer cannot eat memory.
 */
import type net from 'node:net';
import type { ConnectionInfo } from '../hooks';
import type { ConnectFailFn, Proto, SocketInfo } from './types';

/**
 * Splits a byte stream into whole SIP messages (the SIP layer's StreamFramer); push() throws on
 * framing it cannot recover from.
 */
export interface Framer {
  push(chunk: Buffer): Buffer[];
  /** bytes held back waiting for the rest of a message */
  readonly buffered?: number;
}

export class Connection implements ConnectionInfo {
  /** ms timestamp of the last read or write, for the idle lifetime */
  lastActive = Date.now();
  closed = false;
  /** remote keys besides its own that reach this connection (force_tcp_alias, Via alias) */
  aliases: string[] | null = null;
  /** Opened by us and not connected yet: writes are queued by the socket. */
  connecting = false;
  /** Told when the pending connect fails; dropped once it succeeds. */
  connectWaiters: ConnectFailFn[] | null = null;

  constructor(
    readonly id: number,
    readonly proto: Proto,
    readonly local: SocketInfo,
    readonly remoteIp: string,
    readonly remotePort: number,
    readonly sock: net.Socket,
    readonly framer: Framer,
  ) {}

  /** The connect failed: tell every sender that queued bytes on it, once. */
  failConnect(reason: string): void {
    const waiters = this.connectWaiters;
    this.connecting = false;
    this.connectWaiters = null;
    if (waiters) for (const fn of waiters) fn(reason);
  }

  get key(): string {
    return remoteKey(this.proto, this.remoteIp, this.remotePort);
  }
}

export function remoteKey(proto: string, ip: string, port: number): string {
  return `${proto}:${ip}:${port}`;
}
