/**
 * The parsed message (SipMessage contract) with typed accessors cached per header, the routing
 * state the script changes, and the pending changes (lumps) textops-style functions add.
 */
import type { ReceiveInfo, SocketInfo } from '../transport/types';
import { SipParseError, type CSeq, type HeaderField, type SipMessage, type SipUri } from './types';
import * as framingMod from './framing';
import type { Frame, FrameOptions } from './framing';
import * as headerMod from './header';
import type { Header } from './header';
import * as namesMod from './names';
import * as viaMod from './via';
import type { ViaValue } from './via';
import * as nameaddrMod from './nameaddr';
import type { NameAddrValue } from './nameaddr';
import * as fieldsMod from './fields';
import type { ContentType, Credentials, EventValue } from './fields';
import * as uriMod from './uri';
import * as changesMod from './changes';
import type { Change, ChangeText, SendInfo } from './changes';
import * as textMod from './text';
import * as lengthMod from './length';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { frameMessage } = framingMod;
const HeaderClass = headerMod.Header;
const { headerKey } = namesMod;
const { parseViaField } = viaMod;
const { parseNameAddr, parseNameAddrList } = nameaddrMod;
const { parseCallId, parseContentType, parseCredentials, parseCSeq, parseEvent, parseTokenList, parseUint } = fieldsMod;
const { parseUriImpl } = uriMod;
const { applyChangeList, makeChange, resolveChanges } = changesMod;
const { trimLws } = textMod;
const { contentLengthFix } = lengthMod;

const parseFrom = (v: string): NameAddrValue => parseNameAddr(v, 'from');
const parseTo = (v: string): NameAddrValue => parseNameAddr(v, 'to');
const parseContacts = (v: string): NameAddrValue[] => parseNameAddrList(v, 'contact');
const parseRoutes = (v: string): NameAddrValue[] => parseNameAddrList(v, 'route');
const parseRecordRoutes = (v: string): NameAddrValue[] => parseNameAddrList(v, 'record-route');
const parseMaxForwards = (v: string): number => parseUint(v, 'max-forwards');
const parseExpires = (v: string): number => parseUint(v, 'expires');

/** Text computed when the message is built for sending (see ForwardOptions.socket). */
type SendTimeText = (send: SendInfo) => string;

let nextId = 1;

export class SipMsg implements SipMessage {
  buf: Buffer;
  readonly rcv: ReceiveInfo;
  readonly id: number;
  isRequest!: boolean;
  ruri!: string;
  status!: number;
  reason!: string;
  /** `SIP/2.0` as written on the first line */
  version!: string;
  /** byte offsets: Request-URI, first header, end of headers (the empty line), body */
  ruriStart!: number;
  ruriEnd!: number;
  headersStart!: number;
  headersEnd!: number;
  bodyStart!: number;
  bodyEnd!: number;
  /** Content-Length as received, -1 when absent */
  contentLengthValue!: number;

  newUri: string | null = null;
  dstUri: string | null = null;
  path: string | null = null;
  flags = 0;
  bflags = 0;
  forceSocket: SocketInfo | null = null;
  /** force_rport(): answer to the source port and write rport= even without `;rport` */
  forceRport = false;

  /** Header lines (each ending CRLF) to add to replies built for this request (append_to_reply). */
  readonly replyHeaders: string[] = [];
  /** Body for replies built for this request (setReplyBody), null when none. */
  replyBody: string | Buffer | null = null;
  /** Pending changes against `buf`. */
  changes: Change[] = [];

  private requestMethod!: string;
  // header fields as found by the framer; Header objects are made when first asked for
  private keys!: string[];
  private offsets!: number[];
  private fields!: (Header | undefined)[];
  private all: Header[] | undefined;
  private cache!: {
    vias?: ViaValue[];
    contacts?: NameAddrValue[] | '*';
    routes?: NameAddrValue[];
    recordRoutes?: NameAddrValue[];
    uri?: SipUri;
    body?: Buffer;
    newUriText?: string;
    newUri?: SipUri;
  };

  constructor(buf: Buffer, rcv: ReceiveInfo, frame: Frame) {
    this.buf = buf;
    this.rcv = rcv;
    this.id = nextId++;
    this.load(frame);
  }

  private load(f: Frame): void {
    this.isRequest = f.isRequest;
    this.requestMethod = f.method;
    this.ruri = f.ruri;
    this.status = f.status;
    this.reason = f.reason;
    this.version = f.version;
    this.keys = f.keys;
    this.offsets = f.offsets;
    this.fields = new Array<Header | undefined>(f.keys.length);
    this.all = undefined;
    this.ruriStart = f.ruriStart;
    this.ruriEnd = f.ruriEnd;
    this.headersStart = f.headersStart;
    this.headersEnd = f.headersEnd;
    this.bodyStart = f.bodyStart;
    this.bodyEnd = f.bodyEnd;
    this.contentLengthValue = f.contentLength;
    this.cache = {};
  }

  /** Request method, or the CSeq method of a reply ('' when the reply's CSeq is unusable). */
  get method(): string {
    if (this.isRequest) return this.requestMethod;
    try {
      return this.cseq().method;
    } catch {
      return '';
    }
  }

  get body(): Buffer {
    return (this.cache.body ??= this.buf.subarray(this.bodyStart, this.bodyEnd));
  }

  /** All header fields, in order. */
  get headers(): Header[] {
    if (this.all === undefined) {
      const n = this.keys.length;
      const all = new Array<Header>(n);
      for (let i = 0; i < n; i++) all[i] = this.field(i);
      this.all = all;
    }
    return this.all;
  }

  /** Number of header fields. */
  get headerCount(): number {
    return this.keys.length;
  }

  /** Canonical key of field i (no Header object made). */
  keyAt(i: number): string {
    return this.keys[i];
  }

  /** Field i as a Header (made once). */
  field(i: number): Header {
    let h = this.fields[i];
    if (h === undefined) {
      const o = this.offsets;
      const k = i * 5;
      h = new HeaderClass(this.buf, null, this.keys[i], o[k], o[k + 1], o[k + 2], o[k + 3], o[k + 4] === 1);
      this.fields[i] = h;
    }
    return h;
  }

  header(name: string): HeaderField | undefined {
    return this.find(headerKey(name));
  }

  headerAll(name: string): HeaderField[] {
    return this.findAll(headerKey(name));
  }

  /** First field with this canonical key (lower-case long name). */
  find(key: string): Header | undefined {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.field(i);
    return undefined;
  }

  /** All fields with this canonical key. */
  findAll(key: string): Header[] {
    const out: Header[] = [];
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) out.push(this.field(i));
    return out;
  }

  private required(key: string): Header {
    const h = this.find(key);
    if (h === undefined) throw new SipParseError(`missing ${key} header`, key);
    return h;
  }

  /** Typed value of one field, parsed once. */
  private typed<T>(h: Header, parse: (v: string) => T): T {
    if (h.parsed === undefined) h.parsed = parse(h.value);
    return h.parsed as T;
  }

  private list<T>(key: string, parse: (v: string) => T[]): T[] {
    const out: T[] = [];
    for (const h of this.findAll(key)) for (const v of this.typed(h, parse)) out.push(v);
    return out;
  }

  /** The Request-URI as received. */
  uri(): SipUri {
    if (!this.isRequest) throw new SipParseError('a reply has no Request-URI', 'first-line');
    return (this.cache.uri ??= parseUriImpl(this.ruri));
  }

  /** The Request-URI the script currently routes on: newUri when set, else the received one. */
  requestUri(): SipUri {
    if (this.newUri === null) return this.uri();
    if (this.cache.newUriText !== this.newUri) {
      this.cache.newUri = parseUriImpl(this.newUri);
      this.cache.newUriText = this.newUri;
    }
    return this.cache.newUri!;
  }

  via(): ViaValue {
    const h = this.required('via');
    return this.typed(h, parseViaField)[0];
  }

  vias(): ViaValue[] {
    return (this.cache.vias ??= this.list('via', parseViaField));
  }

  from(): NameAddrValue {
    return this.typed(this.required('from'), parseFrom);
  }

  to(): NameAddrValue {
    return this.typed(this.required('to'), parseTo);
  }

  cseq(): CSeq {
    return this.typed(this.required('cseq'), parseCSeq);
  }

  callId(): string {
    return this.typed(this.required('call-id'), parseCallId);
  }

  contacts(): NameAddrValue[] | '*' {
    if (this.cache.contacts !== undefined) return this.cache.contacts;
    let star = false;
    for (const h of this.findAll('contact')) if (trimLws(h.value) === '*') star = true;
    if (star) {
      if (this.headerAll('contact').length !== 1) throw new SipParseError('Contact: * with other contacts', 'contact');
      return (this.cache.contacts = '*');
    }
    return (this.cache.contacts = this.list('contact', parseContacts));
  }

  routes(): NameAddrValue[] {
    return (this.cache.routes ??= this.list('route', parseRoutes));
  }

  recordRoutes(): NameAddrValue[] {
    return (this.cache.recordRoutes ??= this.list('record-route', parseRecordRoutes));
  }

  maxForwards(): number | undefined {
    const h = this.find('max-forwards');
    return h === undefined ? undefined : this.typed(h, parseMaxForwards);
  }

  /** Content-Length as received (undefined when absent). */
  contentLength(): number | undefined {
    return this.contentLengthValue < 0 ? undefined : this.contentLengthValue;
  }

  contentType(): ContentType | undefined {
    const h = this.find('content-type');
    return h === undefined ? undefined : this.typed(h, parseContentType);
  }

  expires(): number | undefined {
    const h = this.find('expires');
    return h === undefined ? undefined : this.typed(h, parseExpires);
  }

  event(): EventValue | undefined {
    const h = this.find('event');
    return h === undefined ? undefined : this.typed(h, parseEvent);
  }

  /** Credentials of every Authorization (or Proxy-Authorization with `proxy`) field. */
  credentials(kind: 'authorization' | 'proxy-authorization' | 'www-authenticate' | 'proxy-authenticate'): Credentials[] {
    const out: Credentials[] = [];
    for (const h of this.findAll(kind)) out.push(this.typed(h, (v) => parseCredentials(v, kind)));
    return out;
  }

  /** Option tags / methods of Supported, Require, Proxy-Require, Unsupported or Allow (all fields). */
  tokens(key: 'supported' | 'require' | 'proxy-require' | 'unsupported' | 'allow'): string[] {
    return this.list(key, (v) => parseTokenList(v, key));
  }

  userAgent(): string | undefined {
    return this.find('user-agent')?.value;
  }

  server(): string | undefined {
    return this.find('server')?.value;
  }

  // ---- pending changes (lumps) -------------------------------------------------------------

  /** Replace bytes [start, end) of the received buffer with text (insert when start === end). */
  replaceRange(start: number, end: number, text: ChangeText): Change {
    if (start < 0 || end < start || end > this.buf.length) throw new RangeError('change outside the message');
    const ch = makeChange(start, end, text);
    this.changes.push(ch);
    return ch;
  }

  removeRange(start: number, end: number): Change {
    return this.replaceRange(start, end, '');
  }

  /** Header line(s), each ending CRLF, after the last header. */
  appendHeader(text: string | SendTimeText): Change {
    return this.replaceRange(this.headersEnd, this.headersEnd, text);
  }

  /** Header line(s) before the first header. */
  prependHeader(text: string | SendTimeText): Change {
    return this.replaceRange(this.headersStart, this.headersStart, text);
  }

  insertBefore(h: HeaderField, text: string | SendTimeText): Change {
    return this.replaceRange(h.start, h.start, text);
  }

  insertAfter(h: HeaderField, text: string | SendTimeText): Change {
    return this.replaceRange(h.end, h.end, text);
  }

  removeHeader(h: HeaderField): Change {
    return this.removeRange(h.start, h.end);
  }

  /** Remove every field with this name; returns how many. */
  removeHeaders(name: string): number {
    const all = this.headerAll(name);
    for (const h of all) this.removeHeader(h);
    return all.length;
  }

  /** Replace the body (Content-Length is fixed when building); optionally set Content-Type too. */
  setBody(body: string | Buffer, contentType?: string): void {
    this.replaceRange(this.bodyStart, this.bodyEnd, body);
    if (contentType !== undefined) {
      const ct = this.find('content-type');
      if (ct) this.replaceRange(ct.valueStart, ct.valueEnd, contentType);
      else this.appendHeader(`Content-Type: ${contentType}\r\n`);
    }
  }

  /** Header line(s) to add to every reply built for this request (append_to_reply). */
  addReplyHeader(text: string): void {
    this.replyHeaders.push(text);
  }

  /**
   * Body for replies built for this request (set_reply_body): its Content-Type goes to the
   * reply headers now, in order with the others.
   */
  setReplyBody(body: string | Buffer, contentType: string): void {
    this.replyBody = body;
    this.replyHeaders.push(`Content-Type: ${contentType}\r\n`);
  }

  /** Forget a change (e.g. a module undoing its own). */
  dropChange(ch: Change): void {
    const i = this.changes.indexOf(ch);
    if (i >= 0) this.changes.splice(i, 1);
  }

  /**
   * msg_apply_changes: rebuild the buffer with the pending changes (Content-Length fixed) and
   * re-parse, so later reads see the new content. Routing state and reply headers are kept.
   * Throws SipParseError (and keeps the old state) if the result no longer parses.
   */
  applyChanges(): void {
    if (this.changes.length === 0) return;
    // no send yet: send-time texts see no socket
    const changes = resolveChanges(this.changes);
    const out = applyChangeList(this.buf, this.bodyEnd, [...changes, ...contentLengthFix(this, changes, false)]);
    const frame = frameMessage(out);
    this.buf = out;
    this.changes = [];
    this.load(frame);
  }
}


export function parseMessage(buf: Buffer, rcv: ReceiveInfo, opts?: FrameOptions): SipMsg {
  return new SipMsg(buf, rcv, frameMessage(buf, opts));
}
