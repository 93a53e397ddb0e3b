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
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
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

/** Remove entry e of `all`: the whole field when it is the only one there, else with its comma. */
export function removeEntry(msg: SipMsg, all: readonly RouteEntry[], e: RouteEntry): void {
  const same = all.filter((x) => x.field === e.field);
  if (same.length === 1) {
    msg.removeRange(e.field.start, e.field.end);
    return;
  }
  const i = same.indexOf(e);
  if (i < same.length - 1) msg.removeRange(e.start, same[i + 1].start);
  else msg.removeRange(same[i - 1].end, e.end);
}
