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

// Header names sipr recognises without building a string first: the framer hashes the name bytes
// (case-folded) and checks the candidates byte by byte.
const KNOWN_NAMES = [
  'via', 'from', 'to', 'call-id', 'cseq', 'contact', 'max-forwards', 'content-length', 'content-type', 'route', 'record-route',
  'allow', 'supported', 'require', 'proxy-require', 'unsupported', 'user-agent', 'server', 'expires', 'min-expires',
  'authorization', 'proxy-authorization', 'www-authenticate', 'proxy-authenticate', 'authentication-info', 'event',
  'allow-events', 'subject', 'accept', 'accept-encoding', 'accept-language', 'date', 'session-expires', 'min-se', 'path',
  'p-asserted-identity', 'p-preferred-identity', 'refer-to', 'referred-by', 'content-encoding', 'content-disposition',
  'organization', 'priority', 'timestamp', 'warning', 'retry-after', 'rseq', 'rack', 'privacy', 'reason', 'identity',
  'identity-info', 'subscription-state', 'diversion', 'remote-party-id', 'sip-etag', 'sip-if-match', 'call-info',
  'alert-info', 'error-info', 'in-reply-to', 'mime-version', 'reply-to', 'request-disposition', 'accept-contact',
  'reject-contact', 'replaces', 'service-route', 'security-client', 'security-server', 'security-verify',
  ...Object.keys(COMPACT),
];
const knownByHash = new Map<number, string[]>();

/** Hash of a header name, case-folded; the framer computes it while scanning the name. */
export function nameHash(buf: Uint8Array | string, s: number, e: number): number {
  let h = 0;
  if (typeof buf === 'string') for (let i = s; i < e; i++) h = (Math.imul(h, 31) + (buf.charCodeAt(i) | 0x20)) | 0;
  else for (let i = s; i < e; i++) h = (Math.imul(h, 31) + (buf[i] | 0x20)) | 0;
  return h;
}

for (const n of KNOWN_NAMES) {
  const h = nameHash(n, 0, n.length);
  const list = knownByHash.get(h);
  if (list) list.push(n);
  else knownByHash.set(h, [n]);
}

/**
 * Canonical key of the header name in buf[s, e) when it is a well-known one, else undefined.
 * Name bytes are token characters, for which `| 0x20` only folds letters.
 */
export function knownHeaderKey(buf: Uint8Array, s: number, e: number, hash = nameHash(buf, s, e)): string | undefined {
  const list = knownByHash.get(hash);
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) {
    const n = list[k];
    if (n.length !== e - s) continue;
    let i = 0;
    while (i < n.length && (buf[s + i] | 0x20) === n.charCodeAt(i)) i++;
    if (i === n.length) return n.length === 1 ? COMPACT[n] : n;
  }
  return undefined;
}
