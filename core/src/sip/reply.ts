/**
 * Stateless replies (RFC 3261 8.2.6, 16.7): Via(s), From, To (+tag), Call-ID, CSeq copied from
 * the request as written, Record-Route in 18x/2xx, then the request's reply headers.
 */
import type { SipMsg } from './message';
import * as changesMod from './changes';
import * as viaeditMod from './viaedit';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { applyChangeList, writeLatin1 } = changesMod;
const { topViaReceivedChanges } = viaeditMod;

export interface ReplyOptions {
  /**
   * To-tag for replies > 100 when the request's To has none; generated when omitted; null adds
   * none (Kamailio's sl and tm tag only from 180 up).
   */
  toTag?: string | null;
  /** extra header lines, each ending CRLF */
  headers?: string;
  /** reply body; default the request's replyBody (setReplyBody) */
  body?: Buffer | string;
  contentType?: string;
}

const CRLF = '\r\n';
const REPLY_COPY = new Set(['via', 'record-route', 'to', 'from', 'call-id', 'cseq']);

/** Build the reply bytes for a request. */
export function buildReply(msg: SipMsg, code: number, reason: string, opts?: ReplyOptions): Buffer {
  const parts: (string | Buffer)[] = [`SIP/2.0 ${code} ${reason}${CRLF}`];
  const buf = msg.buf;
  let firstVia = true;
  for (let i = 0; i < msg.headerCount; i++) {
    const key = msg.keyAt(i);
    if (!REPLY_COPY.has(key)) continue;
    const h = msg.field(i);
    switch (key) {
      case 'via':
        if (firstVia) {
          firstVia = false;
          parts.push(topViaField(msg, h.start, h.end));
        } else parts.push(buf.subarray(h.start, h.end));
        break;
      case 'record-route':
        if (code >= 180 && code < 300) parts.push(buf.subarray(h.start, h.end));
        break;
      case 'to':
        if (code > 100 && opts?.toTag !== null && !hasTag(msg)) {
          parts.push(buf.subarray(h.start, h.valueEnd), `;tag=${opts?.toTag ?? replyTag(msg)}`, buf.subarray(h.valueEnd, h.end));
        } else parts.push(buf.subarray(h.start, h.end));
        break;
      case 'from':
      case 'call-id':
      case 'cseq':
        parts.push(buf.subarray(h.start, h.end));
        break;
    }
  }
  // the header section of a message without a closing empty line may end without CRLF
  const last = parts[parts.length - 1];
  if (!endsWithLf(last)) parts.push(CRLF);
  for (const line of msg.replyHeaders) parts.push(line);
  if (opts?.headers) parts.push(opts.headers);
  const given = opts?.body ?? msg.replyBody;
  const body = given === null ? EMPTY : typeof given === 'string' ? Buffer.from(given, 'latin1') : given;
  if (opts?.contentType !== undefined && body.length > 0) parts.push(`Content-Type: ${opts.contentType}${CRLF}`);
  parts.push(`Content-Length: ${body.length}${CRLF}${CRLF}`);
  if (body.length > 0) parts.push(body);
  return concat(parts);
}

const EMPTY = Buffer.alloc(0);

function endsWithLf(p: string | Buffer): boolean {
  return typeof p === 'string' ? p.endsWith('\n') : p.length > 0 && p[p.length - 1] === 10;
}

function topViaField(msg: SipMsg, start: number, end: number): Buffer {
  const changes = topViaReceivedChanges(msg, true);
  if (changes.length === 0) return msg.buf.subarray(start, end);
  // every change lies inside the field, so the edited field is [start, end + growth)
  const edited = applyChangeList(msg.buf, end, changes);
  return edited.subarray(start, edited.length);
}

function hasTag(msg: SipMsg): boolean {
  try {
    return msg.to().tag !== undefined;
  } catch {
    return /;\s*tag\s*=/i.test(msg.find('to')?.value ?? '');
  }
}

export function concat(parts: readonly (string | Buffer)[]): Buffer {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (const p of parts) {
    if (typeof p === 'string') o += writeLatin1(out, p, o);
    else {
      out.set(p, o);
      o += p.length;
    }
  }
  return out;
}

// Stable per request so a retransmitted request gets the same To-tag (like Kamailio's sl tag).
const TAG_PREFIX = Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');

function replyTag(msg: SipMsg): string {
  let key = '';
  try {
    key = msg.callId();
    key += msg.from().tag ?? '';
    key += msg.via().branch ?? '';
  } catch {
    key += msg.buf.toString('latin1', 0, Math.min(msg.buf.length, 256));
  }
  return `${TAG_PREFIX}-${fnv1a(key).toString(16).padStart(8, '0')}`;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
