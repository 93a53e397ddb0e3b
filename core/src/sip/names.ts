/**
 * Header names: compact forms (RFC 3261 7.3.3 and later RFCs) map to the canonical lower-case
 * long name, so `v`, `Via` and `VIA` are one header to every accessor.
 */
const COMPACT: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

// Names seen on the wire repeat endlessly; caching their canonical key avoids a lower-casing
// copy per header. Bounded so a flood of random names cannot grow it without limit.
const keyCache = new Map<string, string>();
const KEY_CACHE_MAX = 2048;

/** Canonical lower-case long name of a header name as written. */
export function headerKey(name: string): string {
  let key = keyCache.get(name);
  if (key !== undefined) return key;
  const lower = name.toLowerCase();
  key = lower.length === 1 ? (COMPACT[lower] ?? lower) : lower;
  if (keyCache.size < KEY_CACHE_MAX) keyCache.set(name, key);
  return key;
}

/** Long names with the conventional capitalisation, for headers sipr writes itself. */
export const HeaderName = {
  via: 'Via',
  from: 'From',
  to: 'To',
  callId: 'Call-ID',
  cseq: 'CSeq',
  contentLength: 'Content-Length',
  contentType: 'Content-Type',
  maxForwards: 'Max-Forwards',
  route: 'Route',
} as const;
