/**
 * Parsed URIs by text. PVs, transformations and selects read the parts of the same few URIs
 * (R-URI, From, To, dst URI) over and over; SipUri values are immutable, so they can be shared.
 */
import { parseUri } from '../sip/uri';
import { SipParseError, type SipUri } from '../sip/types';

const MAX = 512;
const cache = new Map<string, SipUri | null>();

/** The parsed URI, or null when the text is not a well-formed URI. */
export function parseUriCached(text: string): SipUri | null {
  let u = cache.get(text);
  if (u !== undefined) return u;
  try {
    u = parseUri(text);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    u = null;
  }
  // a flood of distinct URIs only costs a refill, never unbounded memory
  if (cache.size >= MAX) cache.clear();
  cache.set(text, u);
  return u;
}
