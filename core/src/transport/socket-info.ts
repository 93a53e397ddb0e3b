import { isIP } from 'node:net';
import type { Proto, SocketInfo } from './types';

/** The SocketInfo of a bound socket; `name` is how Kamailio prints it (`udp:127.0.0.1:5060`). */
export function socketInfo(proto: Proto, address: string, port: number, advertisedAddress?: string, advertisedPort?: number): SocketInfo {
  const af = isIP(address) === 6 ? 6 : 4;
  const host = af === 6 ? `[${address}]` : address;
  return { proto, address, port, af, name: `${proto}:${host}:${port}`, advertisedAddress, advertisedPort };
}

/** Text of an errno for the one-line errors operators see. */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'EADDRINUSE': return 'address already in use';
    case 'EADDRNOTAVAIL': return 'cannot assign requested address';
    case 'EACCES': return 'permission denied';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'cannot resolve address';
    case 'ECONNREFUSED': return 'connection refused';
    case 'ETIMEDOUT': return 'timed out';
    case 'ECONNRESET': return 'connection reset by peer';
    default: return err?.message ?? String(e);
  }
}
