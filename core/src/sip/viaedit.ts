/**
 * Changes to the received top Via that RFC 3261 18.2.1 / RFC 3581 ask a server to make
 * (`;received=`, `;rport=`), placed as Kamailio places them. Used for local replies and for
 * forwarded requests.
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
 * is not the source address, a received is already there or the Via has rport; rport=<source port> when the Via
 * has rport (its old value is replaced) or the script forced it. In a forwarded request new
 * parameters go right after the sent-by and an old received is replaced; in a local reply they
 * go at the end of the via value and an old received stays. When both are new, rport comes
 * first.
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
  const at = forReply ? range.end : paramsStart(buf, range.start, range.end);
  const out: Change[] = [];
  // changes at one offset keep creation order: rport before received
  if (via.rport !== undefined) {
    const old = paramRange(buf, range.start, range.end, 'rport');
    if (old !== null) out.push(makeChange(old.start, old.end, `;rport=${msg.rcv.srcPort}`));
  } else if (msg.forceRport) {
    out.push(makeChange(at, at, `;rport=${msg.rcv.srcPort}`));
  }
  const host = via.host.charCodeAt(0) === 91 ? via.host.slice(1, -1) : via.host;
  if (via.received !== undefined) {
    const old = forReply ? null : paramRange(buf, range.start, range.end, 'received');
    if (old !== null) out.push(makeChange(old.start, old.end, `;received=${src}`));
    else out.push(makeChange(at, at, `;received=${src}`));
  } else if (via.rport !== undefined || (host !== src && !sameLetters(host, src))) {
    // RFC 3581 4: a request asking for rport gets received even when the sent-by matches
    out.push(makeChange(at, at, `;received=${src}`));
  }
  return out;
}

/** Offset of the first `;` of a via value in buf[s, e) (its parameters), e when none. */
function paramsStart(buf: Buffer, s: number, e: number): number {
  for (let i = s; i < e; i++) if (buf[i] === 59) return i;
  return e;
}
