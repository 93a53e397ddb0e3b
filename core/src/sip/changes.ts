/**
 * Pending message changes ("lumps"): byte ranges of the received buffer replaced by new text.
 * An insertion is a change with start === end. The received buffer is never modified; the
 * changes are applied when the message is built for sending (or by applyChanges()).
 */
export interface Change {
  readonly start: number;
  readonly end: number;
  readonly text: string | Buffer;
  /** order of creation; insertions at one offset keep it */
  readonly seq: number;
}

let seqCounter = 0;

export function makeChange(start: number, end: number, text: string | Buffer): Change {
  return { start, end, text, seq: seqCounter++ };
}

function textLength(t: string | Buffer): number {
  // latin1: one byte per char, the encoding sipr uses for all SIP text
  return typeof t === 'string' ? t.length : t.length;
}

// Insertions at an offset go before a replacement that starts there; otherwise creation order.
function compare(a: Change, b: Change): number {
  if (a.start !== b.start) return a.start - b.start;
  const ai = a.start === a.end ? 0 : 1;
  const bi = b.start === b.end ? 0 : 1;
  if (ai !== bi) return ai - bi;
  return a.seq - b.seq;
}

/**
 * Bytes [0, limit) of `src` with `changes` applied. Overlapping removals are merged: text of a
 * change that starts inside a range an earlier change already replaced is still written, its
 * removal is clipped to what is left.
 */
export function applyChangeList(src: Buffer, limit: number, changes: readonly Change[]): Buffer {
  if (changes.length === 0) return src.length === limit ? src : src.subarray(0, limit);
  const list = changes.length === 1 ? changes : [...changes].sort(compare);
  let size = 0;
  let cursor = 0;
  for (const ch of list) {
    const start = Math.min(Math.max(ch.start, cursor), limit);
    size += start - cursor + textLength(ch.text);
    cursor = Math.max(start, Math.min(ch.end, limit));
  }
  size += limit - cursor;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  cursor = 0;
  for (const ch of list) {
    const start = Math.min(Math.max(ch.start, cursor), limit);
    o += src.copy(out, o, cursor, start);
    if (typeof ch.text === 'string') o += out.write(ch.text, o, 'latin1');
    else o += ch.text.copy(out, o);
    cursor = Math.max(start, Math.min(ch.end, limit));
  }
  src.copy(out, o, cursor, limit);
  return out;
}

/** Change in byte length the changes inside [from, to) make (used to fix Content-Length). */
export function lengthDelta(changes: readonly Change[], from: number, to: number): number {
  let d = 0;
  for (const ch of changes) {
    if (ch.start >= from && ch.start <= to && ch.end <= to) d += textLength(ch.text) - (ch.end - ch.start);
  }
  return d;
}
