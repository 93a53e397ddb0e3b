/**
 * Framing SIP over a byte stream (TCP/TLS, RFC 3261 18.3): messages are delimited by the empty
 * line and Content-Length, which is mandatory here. CRLF keep-alives between messages
 * (RFC 5626 3.5.1) are skipped.
 */
import { SipParseError } from './types';
import { headerKey } from './names';

export interface StreamFramerOptions {
  /** largest message accepted (headers + body); default 256 KiB */
  maxMessage?: number;
}

export class StreamFramer {
  // received bytes live in store[head, tail); store grows by doubling so a message arriving in
  // many small pieces costs linear, not quadratic, copying
  private store: Buffer = Buffer.alloc(0);
  private head = 0;
  private tail = 0;
  /** where the search for the end of the header section resumes */
  private scanned = 0;
  /** end offset of the message being received once its headers are known, else -1 */
  private need = -1;
  private readonly max: number;
  /** set after a framing error; the connection should be closed */
  broken = false;

  constructor(opts: StreamFramerOptions = {}) {
    this.max = opts.maxMessage ?? 256 * 1024;
  }

  /** Bytes buffered and not yet part of a complete message. */
  get buffered(): number {
    return this.tail - this.head;
  }

  /**
   * Add received bytes; returns the complete messages now available (each its own Buffer).
   * Throws SipParseError when the stream cannot be framed (no/bad Content-Length, too big).
   */
  push(chunk: Buffer): Buffer[] {
    if (this.broken) throw new SipParseError('stream already failed', 'framing');
    this.append(chunk);
    const out: Buffer[] = [];
    const buf = this.store;
    for (;;) {
      if (this.need < 0) {
        let p = this.head;
        while (p < this.tail && (buf[p] === 13 || buf[p] === 10)) p++;
        if (p > this.head) {
          this.head = p;
          this.scanned = p;
        }
        if (p === this.tail) {
          this.head = this.tail = this.scanned = 0;
          return out;
        }
        const end = headerEnd(buf, Math.max(p, this.scanned), this.tail);
        if (end < 0) {
          if (this.tail - p > this.max) this.fail('header section too large');
          this.scanned = Math.max(p, this.tail - 3);
          return out;
        }
        const cl = contentLength(buf, p, end);
        if (cl < 0) this.fail(cl === -1 ? 'missing Content-Length on a stream' : 'bad Content-Length');
        if (end + cl - p > this.max) this.fail('message too large');
        this.need = end + cl;
      }
      if (this.tail < this.need) return out;
      out.push(Buffer.from(buf.subarray(this.head, this.need)));
      this.head = this.scanned = this.need;
      this.need = -1;
    }
  }

  private append(chunk: Buffer): void {
    const live = this.tail - this.head;
    if (this.tail + chunk.length > this.store.length) {
      if (live + chunk.length <= this.store.length) this.store.copyWithin(0, this.head, this.tail);
      else {
        const grown = Buffer.allocUnsafe(Math.max(this.store.length * 2, live + chunk.length, 4096));
        this.store.copy(grown, 0, this.head, this.tail);
        this.store = grown;
      }
      this.scanned -= this.head;
      if (this.need >= 0) this.need -= this.head;
      this.head = 0;
      this.tail = live;
    }
    chunk.copy(this.store, this.tail);
    this.tail += chunk.length;
  }

  private fail(why: string): never {
    this.broken = true;
    this.store = Buffer.alloc(0);
    this.head = this.tail = this.scanned = 0;
    this.need = -1;
    throw new SipParseError(why, 'framing');
  }
}

/** Offset just after the empty line ending the headers in buf[from, to), or -1 when not there yet. */
function headerEnd(store: Buffer, from: number, to: number): number {
  // search the received bytes only, not the spare capacity after them
  const buf = store.subarray(0, to);
  let i = buf.indexOf(10, from);
  while (i >= 0) {
    if (i + 1 >= to) return -1;
    const next = buf[i + 1];
    if (next === 10) return i + 2;
    if (next === 13) {
      if (i + 2 >= to) return -1;
      if (buf[i + 2] === 10) return i + 3;
    }
    i = buf.indexOf(10, i + 1);
  }
  return -1;
}

/** Content-Length in the header section [from, end): -1 absent, -2 malformed or conflicting. */
function contentLength(buf: Buffer, from: number, end: number): number {
  let value = -1;
  let line = buf.indexOf(10, from) + 1;
  while (line > 0 && line < end) {
    const colon = buf.indexOf(58, line);
    const nl = buf.indexOf(10, line);
    // continuation lines (leading SP/HT) belong to the previous field
    if (colon > line && colon < nl && buf[line] !== 32 && buf[line] !== 9) {
      const name = buf.toString('latin1', line, colon).trim();
      if (headerKey(name) === 'content-length') {
        const v = buf.toString('latin1', colon + 1, nl).trim();
        if (!/^[0-9]{1,9}$/.test(v)) return -2;
        if (value >= 0 && value !== +v) return -2;
        value = +v;
      }
    }
    line = nl + 1;
  }
  return value;
}
