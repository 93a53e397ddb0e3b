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

const RPORT = 'rport';

/** Range of a value-less `;rport` parameter in buf[s, e) (with its `;`), or null. */
function emptyRport(buf: Buffer, s: number, e: number): { start: number; end: number } | null {
  for (let i = s; i < e; i++) {
    if (buf[i] !== 59) continue;
    let j = i + 1;
    while (j < e && (buf[j] === 32 || buf[j] === 9)) j++;
    let k = 0;
    while (k < 5 && j + k < e && (buf[j + k] | 0x20) === RPORT.charCodeAt(k)) k++;
    if (k < 5) continue;
    j += 5;
    while (j < e && (buf[j] === 32 || buf[j] === 9)) j++;
    if (j === e || buf[j] === 59) return { start: i, end: j };
  }
  return null;
}

export function topViaReceivedChanges(msg: SipMsg): Change[] {
  let via;
  try {
    via = msg.via();
  } catch {
    return [];
  }
  const range = topViaRange(msg);
  if (range === null) return [];
  const out: Change[] = [];
  const src = msg.rcv.srcIp;
  if (!src) return [];
  const host = via.host.charCodeAt(0) === 91 ? via.host.slice(1, -1) : via.host;
  if (via.received === undefined && host !== src && !sameLetters(host, src)) {
    // Kamailio writes IPv6 received values in brackets
    const value = msg.rcv.af === 6 ? `[${src}]` : src;
    out.push(makeChange(range.end, range.end, `;received=${value}`));
  }
  if (via.rport === null) {
    const at = emptyRport(msg.buf, range.start, range.end);
    if (at !== null) out.push(makeChange(at.start, at.end, `;rport=${msg.rcv.srcPort}`));
  }
  return out;
}
