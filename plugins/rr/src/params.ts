/** URI parameter text helpers: the `;a=b;lr` part of a route URI. */
import { parseUriCached, type SipUri } from '@sipr/core';

/** The parsed URI or null; cached, as the Route set of a dialog repeats in every request. */
export const safeParse = parseUriCached;

/** The parameters as written, with their leading ';' (Kamailio's routed params). */
export function paramText(uri: string): string {
  const at = uri.indexOf('@');
  const semi = uri.indexOf(';', at < 0 ? 0 : at);
  if (semi < 0) return '';
  const q = uri.indexOf('?', semi);
  return q < 0 ? uri.slice(semi) : uri.slice(semi, q);
}

/** Value of a parameter in `;a=b;c` text: null when present without value, undefined when absent. */
export function paramValue(params: string, name: string): string | null | undefined {
  const want = name.toLowerCase();
  for (const p of params.split(';')) {
    if (p === '') continue;
    const eq = p.indexOf('=');
    const n = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (n === want) return eq < 0 ? null : p.slice(eq + 1).trim();
  }
  return undefined;
}

export const isLoose = (u: SipUri): boolean => u.param('lr') !== undefined;
export const isR2 = (u: SipUri): boolean => u.param('r2') !== undefined;
