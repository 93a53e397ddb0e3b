/**
 * `myself`: a host/port pair is ours when it matches a listen socket or an alias (cfg-language.md
 * §6.4). The config keeps `listen` and `alias` in core.globals as arrays of HostEntry.
 */
import { networkInterfaces } from 'node:os';
import type { Core } from '../core';
import type { SocketInfo } from '../transport/types';

export interface HostEntry {
  /** 'udp' | 'tcp' | 'tls' | 'sctp' | '' (any) */
  readonly proto: string;
  readonly host: string;
  /** 0: not given */
  readonly port: number;
  /** `advertise host[:port]` of a listen entry: that name is ours too */
  readonly advertise?: { readonly host: string; readonly port: number };
}

function norm(host: string): string {
  const h = host.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function entries(core: Core, key: string): readonly HostEntry[] {
  const v = core.globals.get(key);
  return Array.isArray(v) ? (v as HostEntry[]) : [];
}

let localAddrs: string[] | null = null;
function localAddresses(): string[] {
  if (localAddrs === null) {
    localAddrs = ['localhost'];
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) localAddrs.push(a.address.toLowerCase());
  }
  return localAddrs;
}

function protoMatches(entryProto: string, proto: string | undefined): boolean {
  return proto === undefined || entryProto === '' || entryProto === proto.toLowerCase();
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1';
}

/**
 * port 0 means "any port" (src_ip == myself). proto, when given, must match the socket's
 * (an entry without proto matches all). The open sockets count when the transport has them
 * (`-l` may replace the config's listen); before that the config's `listen` entries do.
 */
export function isMyself(core: Core, host: string, port: number, proto?: string): boolean {
  const h = norm(host);
  const defPort = Number(core.globals.get('port') ?? 5060) || 5060;
  // auto_aliases (default on) adds the reverse-DNS names of listen addresses; sipr does not
  // query DNS at start, it only knows the loopback name
  const autoLocalhost = h === 'localhost' && core.globals.get('auto_aliases') !== false;
  const sockets = (core.sender as { sockets?: readonly SocketInfo[] } | null)?.sockets;
  if (sockets && sockets.length > 0) {
    for (const s of sockets) {
      const sh = norm(s.address);
      if ((sh === h || (autoLocalhost && isLoopback(sh))) && (port === 0 || s.port === port) && protoMatches(s.proto, proto)) return true;
      const ah = s.advertisedAddress;
      if (ah !== undefined && norm(ah) === h && (port === 0 || (s.advertisedPort ?? s.port) === port) && protoMatches(s.proto, proto)) return true;
    }
  } else {
    const listen = entries(core, 'listen');
    if (listen.length === 0 && (port === 0 || port === defPort) && localAddresses().includes(h)) return true;
    for (const e of listen) {
      const eh = norm(e.host);
      if ((eh === h || (autoLocalhost && isLoopback(eh))) && (port === 0 || (e.port || defPort) === port) && protoMatches(e.proto, proto)) return true;
      const a = e.advertise;
      if (a && norm(a.host) === h && (port === 0 || (a.port || e.port || defPort) === port) && protoMatches(e.proto, proto)) return true;
    }
  }
  for (const e of entries(core, 'alias')) {
    if (norm(e.host) === h && (port === 0 || e.port === 0 || e.port === port) && protoMatches(e.proto, proto)) return true;
  }
  return false;
}
