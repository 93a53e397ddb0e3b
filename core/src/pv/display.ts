/** Name-addr text as Kamailio's PVs and selects show it. */
import type { NameAddr } from '../sip/types';

/** The display name as written, quotes kept (Kamailio's $fn and @from.name); '' when none. */
export function displayAsWritten(na: NameAddr): string {
  const raw = (na as NameAddr & { rawDisplay?: string }).rawDisplay;
  return raw ?? na.display;
}

/** A parameter value without its quotes (`"<urn:uuid:1>"` reads `<urn:uuid:1>`). */
export function unquoteParam(v: string): string {
  return v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"' ? v.slice(1, -1) : v;
}
