/**
 * `myself`: a host/port pair is ours when it matches a listen socket or an alias (cfg-language.md
 * §6.4). The config keeps `listen` and `alias` in core.globals as arrays of HostEntry.
 */
import { networkInterfaces } from 'node:os';
import type { Core } from '../core';

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

/**
 * port 0 means "any port" (src_ip == myself). proto, when given, must match the socket's
 * (an entry without proto matches all).
 */
export function isMyself(core: Core, host: string, port: number, proto?: string): boolean {
  const h = norm(host);
  const defPort = Number(core.globals.get('port') ?? 5060) || 5060;
  const listen = entries(core, 'listen');
  const protoOk = (e: HostEntry) => proto === undefined || e.proto === '' || e.proto === proto.toLowerCase();
  if (listen.length === 0) {
    if ((port === 0 || port === defPort) && localAddresses().includes(h)) return true;
  }
  // auto_aliases (default on) adds the reverse-DNS names of listen addresses; sipr does not
  // query DNS at start, it only knows the loopback name
  const autoLocalhost = h === 'localhost' && core.globals.get('auto_aliases') !== false;
  for (const e of listen) {
    const eh = norm(e.host);
    const hostOk = eh === h || (autoLocalhost && (eh.startsWith('127.') || eh === '::1'));
    if (hostOk && (port === 0 || (e.port || defPort) === port) && protoOk(e)) return true;
    const a = e.advertise;
    if (a && norm(a.host) === h && (port === 0 || (a.port || e.port || defPort) === port) && protoOk(e)) return true;
  }
  for (const e of entries(core, 'alias')) {
    if (norm(e.host) === h && (port === 0 || e.port === 0 || e.port === port) && protoOk(e)) return true;
  }
  return false;
}
