/**
 * `listen` values (`[proto:]addr[:port]`) turned into the sockets to open. A value without a
 * protocol opens every enabled stream/datagram protocol on that address, as Kamailio does.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SiprError, ErrorCode } from '../errors';
import type { Proto } from './types';

export interface ListenSpec {
  readonly proto: Proto;
  /** bind address without IPv6 brackets */
  readonly address: string;
  readonly port: number;
  /** the text the operator wrote, for error messages */
  readonly text: string;
  /** advertised_address / advertised_port: what Via and Record-Route show instead */
  readonly advertisedAddress?: string;
  readonly advertisedPort?: number;
}

const PROTOS: ReadonlySet<string> = new Set(['udp', 'tcp', 'tls', 'ws', 'wss', 'sctp']);
/** Protocols this build can open; the others parse but are refused at bind time. */
export const OPEN_PROTOS: readonly Proto[] = ['udp', 'tcp'];
const DEFAULT_PROTOS: readonly Proto[] = ['udp', 'tcp'];

function fail(text: string, why: string): never {
  throw new SiprError(ErrorCode.LISTEN, `listen ${text}: ${why}`);
}

/** One `listen` item; `disableTcp` drops tcp from items that name no protocol. */
export function parseListen(text: string, defaultPort: number, disableTcp = false): ListenSpec[] {
  let rest = text.trim();
  let protos: readonly Proto[] = disableTcp ? ['udp'] : DEFAULT_PROTOS;
  const colon = rest.indexOf(':');
  if (colon > 0 && !rest.startsWith('[')) {
    const head = rest.slice(0, colon).toLowerCase();
    const after = rest.slice(colon + 1);
    // `*` is the any-protocol marker unless what follows is only a port (`*:5060` = any address)
    if (PROTOS.has(head) || (head === '*' && !/^\d+$/.test(after))) {
      if (head !== '*') protos = [head as Proto];
      rest = after;
    } else if (isIP(rest) === 6) {
      fail(text, 'IPv6 addresses must be written in brackets');
    }
  }
  let address: string;
  let portText = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail(text, 'missing ] after IPv6 address');
    address = rest.slice(1, close);
    if (isIP(address) !== 6) fail(text, `bad IPv6 address '${address}'`);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) fail(text, `unexpected '${after}' after address`);
      portText = after.slice(1);
    }
  } else {
    const c = rest.lastIndexOf(':');
    address = c >= 0 ? rest.slice(0, c) : rest;
    portText = c >= 0 ? rest.slice(c + 1) : '';
    if (address.includes(':')) fail(text, 'IPv6 addresses must be written in brackets');
  }
  if (address === '') fail(text, 'missing address');
  if (address === '*') address = '0.0.0.0';
  if (isIP(address) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(address)) {
    fail(text, `bad address '${address}'`);
  }
  let port = defaultPort;
  if (portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) fail(text, `bad port '${portText}'`);
    port = Number(portText);
  }
  const addresses = isIP(address) === 0 ? interfaceAddresses(address) ?? [address] : [address];
  return addresses.flatMap((a) => protos.map((proto) => ({ proto, address: a, port, text })));
}

/**
 * A network interface name (`listen=eth0`) stands for its addresses, as in kamailio; IPv6
 * link-local ones are left out (they need a scope to bind). undefined: no such interface.
 */
function interfaceAddresses(name: string): string[] | undefined {
  const list = networkInterfaces()[name];
  if (!list) return undefined;
  return list.filter((a) => !a.address.toLowerCase().startsWith('fe80:')).map((a) => a.address);
}

/**
 * Everything the config and the command line ask to listen on. Command-line values replace the
 * config's (as with kamailio -l). Items may come as one string with spaces or as a list.
 */
export function listenSpecs(items: readonly string[], defaultPort: number, disableTcp = false): ListenSpec[] {
  const texts = items.flatMap((i) => i.split(/\s+/)).filter((s) => s !== '');
  if (texts.length === 0) texts.push('127.0.0.1');
  const out: ListenSpec[] = [];
  const seen = new Set<string>();
  for (const t of texts) {
    for (const s of parseListen(t, defaultPort, disableTcp)) {
      const key = `${s.proto}:${s.address}:${s.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s);
    }
  }
  return out;
}

/** `proto:addr:port` as sockets are named (IPv6 in brackets), for one-line errors. */
export function listenName(s: ListenSpec): string {
  return `${s.proto}:${isIP(s.address) === 6 ? `[${s.address}]` : s.address}:${s.port}`;
}
