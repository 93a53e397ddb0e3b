/**
 * Building requests and replies for sending on: the received bytes plus pending changes, a new
 * top Via, the new Request-URI, Max-Forwards decremented, Content-Length kept true. Also the
 * requests a transaction layer generates itself (CANCEL, ACK for a non-2xx final reply).
 */
import type { SipMsg } from './message';
import type { SocketInfo } from '../transport/types';
import * as changesMod from './changes';
import type { Change } from './changes';
import * as lengthMod from './length';
import * as viaeditMod from './viaedit';
import * as replyMod from './reply';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { applyChangeList, makeChange, resolveChanges } = changesMod;
const { contentLengthFix } = lengthMod;
const { topViaRange, topViaReceivedChanges } = viaeditMod;
const { concat } = replyMod;

export interface ViaSpec {
  /** transport as in Via: UDP, TCP, TLS, SCTP, WS, WSS (any case) */
  transport: string;
  host: string;
  /** 0 / absent: no port written */
  port?: number;
  branch: string;
  /** add an empty `;rport` (RFC 3581) */
  rport?: boolean;
  /** extra params, e.g. `;i=abc` */
  params?: string;
}

export interface ForwardOptions {
  /** the Via to add on top of a request (requests only) */
  via?: ViaSpec;
  /** Request-URI to write; default msg.newUri (unchanged when null) */
  ruri?: string;
  /** decrement Max-Forwards when present (default false) */
  decrementMaxForwards?: boolean;
  /** target is a stream transport: Content-Length is added if missing */
  stream?: boolean;
  /** add received/rport to the received top Via of a request (default true) */
  markReceived?: boolean;
  /** more changes for this send only (e.g. per-branch lumps) */
  changes?: readonly Change[];
  /** the local socket the message leaves through, for send-time change texts */
  socket?: SocketInfo;
}

export function formatVia(v: ViaSpec): string {
  const port = v.port ? `:${v.port}` : '';
  const host = v.host.indexOf(':') >= 0 && v.host.charCodeAt(0) !== 91 ? `[${v.host}]` : v.host;
  return `Via: SIP/2.0/${v.transport.toUpperCase()} ${host}${port};branch=${v.branch}${v.rport ? ';rport' : ''}${v.params ?? ''}\r\n`;
}

/** Bytes to send for a request (with opts.via) or a reply being forwarded (top Via removed). */
export function buildForward(msg: SipMsg, opts: ForwardOptions = {}): Buffer {
  const extra: Change[] = [];
  if (msg.isRequest) {
    const ruri = opts.ruri ?? msg.newUri;
    if (ruri !== null && ruri !== undefined && ruri !== msg.ruri) extra.push(makeChange(msg.ruriStart, msg.ruriEnd, ruri));
    // pushed in offset order (new Via before the received top Via's edits) to spare a sort
    if (opts.via) {
      const first = msg.find('via');
      const at = first ? first.start : msg.headersStart;
      extra.push(makeChange(at, at, formatVia(opts.via)));
    }
    if (opts.markReceived !== false) for (const c of topViaReceivedChanges(msg)) extra.push(c);
    if (opts.decrementMaxForwards) {
      const mf = msg.find('max-forwards');
      const n = mf === undefined ? undefined : msg.maxForwards();
      if (mf !== undefined && n !== undefined && n > 0) extra.push(makeChange(mf.valueStart, mf.valueEnd, String(n - 1)));
    }
  } else {
    const removal = topViaRemoval(msg);
    if (removal) extra.push(removal);
  }
  const all = opts.changes ? [...msg.changes, ...opts.changes, ...extra] : msg.changes.length > 0 ? [...msg.changes, ...extra] : extra;
  // send-time texts first: Content-Length depends on their length
  const base = resolveChanges(all, opts.socket ? { socket: opts.socket } : undefined) as Change[];
  const fixed = contentLengthFix(msg, base, opts.stream === true);
  return applyChangeList(msg.buf, msg.bodyEnd, fixed.length > 0 ? [...base, ...fixed] : base);
}

/** The change deleting the top via value (the whole field when it holds only that value). */
function topViaRemoval(msg: SipMsg): Change | null {
  const h = msg.find('via');
  const r = topViaRange(msg);
  if (h === undefined || r === null) return null;
  let i = r.end;
  const buf = msg.buf;
  while (i < h.valueEnd && buf[i] !== 44) i++;
  if (i >= h.valueEnd) return makeChange(h.start, h.end, '');
  i++;
  while (i < h.valueEnd && (buf[i] === 32 || buf[i] === 9 || buf[i] === 13 || buf[i] === 10)) i++;
  return makeChange(r.start, i, '');
}

export interface LocalRequestOptions {
  /** Request-URI; default the request's current one (newUri or as received) */
  ruri?: string;
  /** extra header lines, each ending CRLF (e.g. a Reason header) */
  headers?: string;
}

/**
 * CANCEL for an INVITE as it was sent (RFC 3261 9.1), built like Kamailio's tm does: the
 * INVITE's top Via, Max-Forwards, Route, From, To and Call-ID in their order, CSeq with the
 * new method, no body.
 */
export function buildCancel(invite: SipMsg, opts: LocalRequestOptions = {}): Buffer {
  return localRequest(invite, 'CANCEL', null, opts);
}

/** ACK for a non-2xx final reply (RFC 3261 17.1.1.3): as a CANCEL, with To (and its tag) from the reply. */
export function buildAckForNon2xx(invite: SipMsg, reply: SipMsg, opts: LocalRequestOptions = {}): Buffer {
  const to = reply.find('to');
  return localRequest(invite, 'ACK', to ? reply.buf.subarray(to.start, to.end) : null, opts);
}

const LOCAL_COPY = new Set(['from', 'call-id', 'route', 'max-forwards']);

function localRequest(req: SipMsg, method: string, toField: Buffer | null, opts: LocalRequestOptions): Buffer {
  const ruri = opts.ruri ?? req.newUri ?? req.ruri;
  const parts: (string | Buffer)[] = [`${method} ${ruri} SIP/2.0\r\n`];
  const buf = req.buf;
  let via = false;
  for (let i = 0; i < req.headerCount; i++) {
    const key = req.keyAt(i);
    const h = req.field(i);
    if (LOCAL_COPY.has(key)) parts.push(fieldBytes(buf, h.start, h.end));
    else if (key === 'to') parts.push(toField ? withCrlf(toField) : fieldBytes(buf, h.start, h.end));
    else if (key === 'cseq') parts.push(`CSeq: ${req.cseq().numText} ${method}\r\n`);
    else if (key === 'via' && !via) {
      via = true;
      const r = topViaRange(req)!;
      // the top via value alone: a field may hold more than one
      parts.push(r.start === h.valueStart && r.end === h.valueEnd ? fieldBytes(buf, h.start, h.end) : `Via: ${buf.toString('latin1', r.start, r.end)}\r\n`);
    }
  }
  if (opts.headers) parts.push(opts.headers);
  parts.push('Content-Length: 0\r\n\r\n');
  return concat(parts);
}

function fieldBytes(buf: Buffer, start: number, end: number): Buffer {
  return withCrlf(buf.subarray(start, end));
}

function withCrlf(b: Buffer): Buffer {
  return b.length > 0 && b[b.length - 1] === 10 ? b : Buffer.concat([b, Buffer.from('\r\n')]);
}
