/**
 * The request methods Kamailio gives an id of its own (3.0: INVITE .. PUBLISH); any other method
 * is its METHOD_OTHER. Ordered by how often they arrive, for the first-line parser's lookup.
 */
export const KNOWN_METHODS: readonly string[] = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'INFO', 'PRACK', 'UPDATE', 'REFER',
];

const KNOWN = new Set(KNOWN_METHODS);

/** Exact (case-sensitive) match, as RFC 3261 compares methods. */
export function isKnownMethod(method: string): boolean {
  return KNOWN.has(method);
}
