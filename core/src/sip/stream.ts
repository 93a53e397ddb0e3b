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
  private pending: Buffer = Buffer.alloc(0);
  private readonly max: number;
  /** set after a framing error; the connection should be closed */
  broken = false;

  constructor(opts: StreamFramerOptions = {}) {
    this.max = opts.maxMessage ?? 256 * 1024;
  }

  /** Bytes buffered and not yet part of a complete message. */
  get buffered(): number {
    return this.pending.length;
  }

  /**
   * Add received bytes; returns the complete messages now available (each its own Buffer).
   * Throws SipParseError when the stream cannot be framed (no/bad Content-Length, too big).
   */
  push(chunk: Buffer): Buffer[] {
    if (this.broken) throw new SipParseError('stream already failed', 'framing');
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const buf = this.pending;
      let p = 0;
      while (p < buf.length && (buf[p] === 13 || buf[p] === 10)) p++;
      if (p === buf.length) {
        this.pending = Buffer.alloc(0);
        return out;
      }
      const end = headerEnd(buf, p);
      if (end < 0) {
        if (buf.length - p > this.max) this.fail('header section too large');
        this.pending = p === 0 ? buf : buf.subarray(p);
        return out;
      }
      const cl = contentLength(buf, p, end.valueOf());
      if (cl < 0) this.fail(cl === -1 ? 'missing Content-Length on a stream' : 'bad Content-Length');
      const total = end + cl;
      if (total - p > this.max) this.fail('message too large');
      if (total > buf.length) {
        this.pending = p === 0 ? buf : buf.subarray(p);
        return out;
      }
      out.push(Buffer.from(buf.subarray(p, total)));
      this.pending = buf.subarray(total);
    }
  }

  private fail(why: string): never {
    this.broken = true;
    this.pending = Buffer.alloc(0);
    throw new SipParseError(why, 'framing');
  }
}

/** Offset just after the empty line ending the headers, or -1 when not there yet. */
function headerEnd(buf: Buffer, from: number): number {
  let i = buf.indexOf(10, from);
  while (i >= 0) {
    const next = buf[i + 1];
    if (next === 10) return i + 2;
    if (next === 13 && buf[i + 2] === 10) return i + 3;
    if (next === undefined || (next === 13 && i + 2 >= buf.length)) return -1;
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
