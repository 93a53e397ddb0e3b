/**
 * Changes to the received top Via that RFC 3261 18.2.1 / RFC 3581 ask a server to make:
 * `;received=` when the sent-by host is not the source address, and the source port as the
 * value of an empty `;rport`. Used for replies and for forwarded requests alike.
 */
import type { SipMsg } from './message';
import * as changesMod from './changes';
import * as textMod from './text';
import type { Change } from './changes';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { makeChange } = changesMod;
const { sameLetters } = textMod;

/** Byte range of the first via value inside the first Via field: [start, end). */
export function topViaRange(msg: SipMsg): { start: number; end: number } | null {
  const h = msg.find('via');
  if (h === undefined) return null;
  const buf = msg.buf;
  let inQuote = false;
  let end = h.valueEnd;
  for (let i = h.valueStart; i < h.valueEnd; i++) {
    const c = buf[i];
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 44) {
      end = i;
      break;
    }
  }
  while (end > h.valueStart && (buf[end - 1] === 32 || buf[end - 1] === 9 || buf[end - 1] === 10 || buf[end - 1] === 13)) end--;
  return { start: h.valueStart, end };
}

/**
 * Range of the parameter `;name` / `;name=value` in buf[s, e), starting at its `;`, or null.
 * `name` is lower-case.
 */
function paramRange(buf: Buffer, s: number, e: number, name: string): { start: number; end: number } | null {
  const n = name.length;
  for (let i = s; i < e; i++) {
    if (buf[i] !== 59) continue;
    let j = i + 1;
    while (j < e && (buf[j] === 32 || buf[j] === 9)) j++;
    let k = 0;
    while (k < n && j + k < e && (buf[j + k] | 0x20) === name.charCodeAt(k)) k++;
    if (k < n) continue;
    j += n;
    while (j < e && (buf[j] === 32 || buf[j] === 9)) j++;
    if (j < e && buf[j] !== 59 && buf[j] !== 61) continue;
    while (j < e && buf[j] !== 59) j++;
    return { start: i, end: j };
  }
  return null;
}

/**
 * Kamailio's rules (RFC 3261 18.2.1, RFC 3581): received=<source address> when the sent-by host
 * is not the source address or a received is already there (an old value is replaced);
 * rport=<source port> when the Via has rport (any old value is replaced) or the script forced
 * it. New parameters go at the end of the top via value: received then rport for requests,
 * rport then received for replies.
 */
export function topViaReceivedChanges(msg: SipMsg, forReply = false): Change[] {
  const src = msg.rcv.srcIp;
  if (!src) return [];
  let via;
  try {
    via = msg.via();
  } catch {
    return [];
  }
  const range = topViaRange(msg);
  if (range === null) return [];
  const buf = msg.buf;
  let received: Change | null = null;
  let rport: Change | null = null;
  const host = via.host.charCodeAt(0) === 91 ? via.host.slice(1, -1) : via.host;
  if (via.received !== undefined) {
    const at = paramRange(buf, range.start, range.end, 'received');
    if (at !== null) received = makeChange(at.start, at.end, `;received=${src}`);
  } else if (host !== src && !sameLetters(host, src)) {
    received = makeChange(range.end, range.end, `;received=${src}`);
  }
  if (via.rport !== undefined) {
    const at = paramRange(buf, range.start, range.end, 'rport');
    if (at !== null) rport = makeChange(at.start, at.end, `;rport=${msg.rcv.srcPort}`);
  } else if (msg.forceRport) {
    rport = makeChange(range.end, range.end, `;rport=${msg.rcv.srcPort}`);
  }
  if (received === null) return rport === null ? [] : [rport];
  if (rport === null) return [received];
  // both appended at one offset: creation order decides which comes first
  if (forReply && rport.start === rport.end && received.start === received.end) {
    return [makeChange(range.end, range.end, `;rport=${msg.rcv.srcPort}`), makeChange(range.end, range.end, `;received=${src}`)];
  }
  return received.start <= rport.start ? [received, rport] : [rport, received];
}
