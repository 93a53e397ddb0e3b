/** tm's own fixups (the standard ones come from @sipr/compat): route names and targets checked at start. */
import type { Destination, FixupSite, RouteKind } from '@sipr/core';
import type { ShapeFixup } from '@sipr/compat';
import { uriDestination } from './sip-wire';

/** A route name that must exist in the config (t_on_failure("X") needs failure_route[X]). */
export function routeName(kind: RouteKind, label: string, position = 1): ShapeFixup {
  return (value: string | null, paramNo: number, site: FixupSite) => {
    if (paramNo !== position || value === null) return value;
    if (site.core.script && !site.core.script.has(kind, value)) throw new Error(`${label}[${value}] is not defined`);
    return value;
  };
}

/** "[proto:]host[:port]" (IPv6 in brackets) as a next hop; null when it is not one. */
export function proxyTarget(text: string): Destination | null {
  const m = /^(udp|tcp|tls|sctp):(.+)$/i.exec(text.trim());
  const hostPort = m ? m[2] : text.trim();
  if (!hostPort || hostPort.includes(';')) return null;
  return uriDestination(`sip:${hostPort}${m ? ';transport=' + m[1].toLowerCase() : ''}`);
}

const FLAGS = /^\s*(0x[0-9a-f]+|\d+)\s*$/i;

function target(text: string): Destination {
  const dst = proxyTarget(text);
  if (!dst) throw new Error(`t_relay_to target "${text}" is not [proto:]address[:port]`);
  return dst;
}

function flagsOf(text: string): number {
  const m = FLAGS.exec(text);
  if (!m) throw new Error(`t_relay_to flags "${text}" are not an integer`);
  return Number(m[1]);
}

/** t_relay_to(x): a number is the flags, anything else the target (fixed at start, as Kamailio's proxy). */
export type RelayToParam = { flags: number; dst?: undefined } | { dst: Destination; flags?: undefined };
export const relayToOne: ShapeFixup = (value: string | null): RelayToParam =>
  (FLAGS.test(value ?? '') ? { flags: flagsOf(value!) } : { dst: target(value ?? '') });

/** t_relay_to(target, flags). */
export const relayToTwo: ShapeFixup = (value: string | null, paramNo: number) =>
  (paramNo === 1 ? target(value ?? '') : flagsOf(value ?? ''));
