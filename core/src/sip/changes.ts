/**
 * Pending message changes ("lumps"): byte ranges of the received buffer replaced by new text.
 * An insertion is a change with start === end. The received buffer is never modified; the
 * changes are applied when the message is built for sending (or by applyChanges()).
 */
import type { SocketInfo } from '../transport/types';

/** What is known when the message is built for sending. */
export interface SendInfo {
  /** the local socket the message leaves through, when the sender said */
  readonly socket?: SocketInfo;
}

/**
 * Change text: fixed, or computed when the message is built for sending (Kamailio's SUBST
 * lumps, e.g. a Record-Route naming the outgoing socket).
 */
export type ChangeText = string | Buffer | ((send: SendInfo) => string);

export interface Change {
  readonly start: number;
  readonly end: number;
  readonly text: ChangeText;
  /** order of creation; insertions at one offset keep it */
  readonly seq: number;
}

let seqCounter = 0;

export function makeChange(start: number, end: number, text: ChangeText): Change {
  return { start, end, text, seq: seqCounter++ };
}

const NO_SEND: SendInfo = {};

/** The changes with send-time texts computed (the same list when there are none). */
export function resolveChanges(changes: readonly Change[], send: SendInfo = NO_SEND): readonly Change[] {
  let out: Change[] | null = null;
  for (let i = 0; i < changes.length; i++) {
    const ch = changes[i];
    if (typeof ch.text !== 'function') continue;
    out ??= changes.slice();
    out[i] = { start: ch.start, end: ch.end, text: ch.text(send), seq: ch.seq };
  }
  return out ?? changes;
}

/** Byte length of a resolved text (latin1: one byte per char, the encoding of all SIP text). */
function textLength(t: ChangeText): number {
  return typeof t === 'function' ? 0 : t.length;
}

// Insertions at an offset go before a replacement that starts there; otherwise creation order.
function compare(a: Change, b: Change): number {
  if (a.start !== b.start) return a.start - b.start;
  const ai = a.start === a.end ? 0 : 1;
  const bi = b.start === b.end ? 0 : 1;
  if (ai !== bi) return ai - bi;
  return a.seq - b.seq;
}

/** The changes in application order; lists are short, so an insertion sort beats Array#sort. */
function inOrder(changes: readonly Change[]): readonly Change[] {
  let i = 1;
  while (i < changes.length && compare(changes[i - 1], changes[i]) <= 0) i++;
  if (i >= changes.length) return changes;
  const a = changes.slice();
  for (; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && compare(a[j], x) > 0) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
  return a;
}

/**
 * Bytes [0, limit) of `src` with `changes` applied. Overlapping removals are merged: text of a
 * change that starts inside a range an earlier change already replaced is still written, its
 * removal is clipped to what is left.
 */
export function applyChangeList(src: Buffer, limit: number, changes: readonly Change[], send?: SendInfo): Buffer {
  if (changes.length === 0) return src.length === limit ? src : src.subarray(0, limit);
  const resolved = resolveChanges(changes, send);
  const list = inOrder(resolved);
  let size = 0;
  let cursor = 0;
  for (const ch of list) {
    const start = Math.min(Math.max(ch.start, cursor), limit);
    size += start - cursor + textLength(ch.text);
    cursor = Math.max(start, Math.min(ch.end, limit));
  }
  size += limit - cursor;
  const out = Buffer.allocUnsafe(size);
  // a plain view: its subarray() makes plain views, not Buffers
  const bytes = new Uint8Array(src.buffer, src.byteOffset, src.length);
  let o = 0;
  cursor = 0;
  for (const ch of list) {
    const start = Math.min(Math.max(ch.start, cursor), limit);
    if (start > cursor) o += copyBytes(bytes, out, o, cursor, start);
    const text = ch.text as string | Buffer;
    if (typeof text === 'string') o += writeLatin1(out, text, o);
    else {
      out.set(text, o);
      o += text.length;
    }
    cursor = Math.max(start, Math.min(ch.end, limit));
  }
  if (limit > cursor) copyBytes(bytes, out, o, cursor, limit);
  return out;
}

/**
 * src[s, e) to out at o. Plain Uint8Array subarray/set are engine builtins; Buffer#copy and
 * Buffer#subarray add JavaScript wrappers that cost more than the copy of a header.
 */
function copyBytes(src: Uint8Array, out: Buffer, o: number, s: number, e: number): number {
  out.set(src.subarray(s, e), o);
  return e - s;
}

// Buffer#latin1Write skips the encoding dispatch of Buffer#write; it is not in @types/node.
const latin1Write = (Buffer.prototype as unknown as { latin1Write(this: Buffer, s: string, offset: number): number }).latin1Write;

/** Write a latin1 string at offset; returns the bytes written. */
export function writeLatin1(out: Buffer, s: string, offset: number): number {
  const n = s.length;
  // short strings (params, header lines) are cheaper to copy here than through a native call
  if (n > 48) return latin1Write.call(out, s, offset);
  for (let i = 0; i < n; i++) out[offset + i] = s.charCodeAt(i);
  return n;
}

/** Change in byte length the changes inside [from, to) make (used to fix Content-Length). */
export function lengthDelta(changes: readonly Change[], from: number, to: number): number {
  let d = 0;
  for (const ch of changes) {
    if (ch.start >= from && ch.start <= to && ch.end <= to) d += textLength(ch.text) - (ch.end - ch.start);
  }
  return d;
}
