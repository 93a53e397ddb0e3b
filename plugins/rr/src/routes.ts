/**
 * The Route set of a request as entries with their byte ranges, so single URIs can be removed
 * from a header field that holds several (`Route: <a>, <b>`) without touching the others.
 */
import type { Header, SipMsg } from '@sipr/core';

export interface RouteEntry {
  readonly field: Header;
  /** index of the entry inside its field */
  readonly index: number;
  /** the name-addr, trimmed: [start, end) in the buffer */
  readonly start: number;
  readonly end: number;
  /** the URI between < and > (the whole entry when it has no brackets) */
  readonly uri: string;
}

/** SP, HTAB, CR, LF (a folded value keeps its line break in the buffer) */
const isWs = (c: number) => c === 32 || c === 9 || c === 13 || c === 10;

/** Split one field value on commas outside quotes and angle brackets. */
function splitField(msg: SipMsg, h: Header, out: RouteEntry[]): void {
  const text = msg.buf.toString('latin1', h.valueStart, h.valueEnd);
  let depth = 0;
  let quoted = false;
  let from = 0;
  let index = 0;
  const push = (to: number) => {
    let s = from;
    let e = to;
    while (s < e && isWs(text.charCodeAt(s))) s++;
    while (e > s && isWs(text.charCodeAt(e - 1))) e--;
    if (s === e) return;
    const raw = text.slice(s, e);
    const lt = raw.indexOf('<');
    const gt = raw.lastIndexOf('>');
    const uri = lt >= 0 && gt > lt ? raw.slice(lt + 1, gt) : raw;
    out.push({ field: h, index: index++, start: h.valueStart + s, end: h.valueStart + e, uri });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      from = i + 1;
    }
  }
  push(text.length);
}

export function routeEntries(msg: SipMsg): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const h of msg.headerAll('route') as Header[]) splitField(msg, h, out);
  return out;
}

/**
 * Remove entries from the Route set: a field that loses all its entries goes as a whole,
 * otherwise each run of removed entries goes with its separating comma.
 */
export function removeEntries(msg: SipMsg, all: readonly RouteEntry[], removed: ReadonlySet<RouteEntry>): void {
  const fields = new Map<Header, RouteEntry[]>();
  for (const e of all) {
    const list = fields.get(e.field);
    if (list) list.push(e);
    else fields.set(e.field, [e]);
  }
  for (const [field, list] of fields) {
    if (!list.some((e) => removed.has(e))) continue;
    if (list.every((e) => removed.has(e))) {
      msg.removeRange(field.start, field.end);
      continue;
    }
    let i = 0;
    while (i < list.length) {
      if (!removed.has(list[i])) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < list.length && removed.has(list[j + 1])) j++;
      // a leading run goes up to the next kept entry; any other from the previous kept one
      if (i === 0) msg.removeRange(list[0].start, list[j + 1].start);
      else msg.removeRange(list[i - 1].end, list[j].end);
      i = j + 1;
    }
  }
}
