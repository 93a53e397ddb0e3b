/**
 * One stream connection (accepted or opened by us). Node's socket queues writes while connecting
 * and while the kernel buffer is full, so send() stays synchronous; the queue is capped so a
 * stalled peer cannot eat memory.
 */
import type net from 'node:net';
import type { ConnectionInfo } from '../hooks';
import type { Proto, SocketInfo } from './types';

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

  constructor(
    readonly id: number,
    readonly proto: Proto,
    readonly local: SocketInfo,
    readonly remoteIp: string,
    readonly remotePort: number,
    readonly sock: net.Socket,
    readonly framer: Framer,
  ) {}

  get key(): string {
    return remoteKey(this.proto, this.remoteIp, this.remotePort);
  }
}

export function remoteKey(proto: string, ip: string, port: number): string {
  return `${proto}:${ip}:${port}`;
}
