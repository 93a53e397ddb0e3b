/**
 * The message contract every layer codes against (script engine, PVs, modules, transports).
 * Owner: the SIP message layer (core/src/sip). It may grow; it must not break callers.
 *
 * Parsing is lazy: the first line and header boundaries are found on receive; typed parsers run
 * on first access and cache their result on the message. Typed accessors throw SipParseError
 * for a malformed header; nothing else escapes the parser.
 */
import type { ReceiveInfo, SocketInfo } from '../transport/types';

export class SipParseError extends Error {
  /** header name or 'first-line' / 'framing' / 'body' */
  readonly where: string;
  /** byte offset in the buffer, when known */
  readonly offset: number;
  constructor(message: string, where: string, offset = -1) {
    super(message);
    this.name = 'SipParseError';
    this.where = where;
    this.offset = offset;
  }
}

export interface HeaderField {
  /** Name as written on the wire. */
  readonly name: string;
  /** Canonical lower-case long name (`v` and `VIA` -> `via`). */
  readonly key: string;
  /** Body: folding (LWS continuation) replaced by a space, surrounding whitespace trimmed. */
  readonly value: string;
  /** Offsets of the whole field in the received buffer: start of name .. after its CRLF. */
  readonly start: number;
  readonly end: number;
}

export interface UriParam {
  readonly name: string;
  /** null for a flag parameter without `=value` */
  readonly value: string | null;
}

export interface SipUri {
  readonly raw: string;
  /** 'sip' | 'sips' | 'tel' | other, lower-case */
  readonly scheme: string;
  readonly user: string;
  readonly password: string;
  /** Host as written; IPv6 references keep their brackets. */
  readonly host: string;
  /** 0 when absent */
  readonly port: number;
  readonly params: readonly UriParam[];
  /** `?a=b&c=d` part without the `?`, '' when absent */
  readonly headers: string;
  param(name: string): string | null | undefined;
}

export interface Via {
  /** `SIP/2.0` */
  readonly protocol: string;
  /** upper-case transport: UDP, TCP, TLS, WS, WSS, SCTP */
  readonly transport: string;
  readonly host: string;
  /** 0 when absent */
  readonly port: number;
  readonly branch?: string;
  readonly received?: string;
  /** undefined: absent; null: present without value (`;rport`); string: its value */
  readonly rport?: string | null;
  readonly params: readonly UriParam[];
  /** text of this one via value */
  readonly raw: string;
}

export interface NameAddr {
  /** display name without quotes, '' if none */
  readonly display: string;
  readonly uri: string;
  readonly parsedUri: SipUri;
  readonly tag?: string;
  readonly params: readonly UriParam[];
}

export interface Contact extends NameAddr {
  readonly expires?: number;
  readonly q?: number;
}

export interface CSeq {
  readonly num: number;
  /** the number as written (Kamailio's $cs is a string) */
  readonly numText: string;
  readonly method: string;
}

export interface Branch {
  uri: string;
  dstUri: string | null;
  path: string | null;
  q: number;
  flags: number;
  socket: SocketInfo | null;
}

/**
 * A parsed SIP message plus the routing state the script works on (Kamailio keeps the same state
 * in `struct sip_msg`). The received bytes never change; edits are kept as changes (lumps) and
 * applied when the message is built for sending, or at once with applyChanges().
 */
export interface SipMessage {
  readonly buf: Buffer;
  readonly isRequest: boolean;
  /** Request method, or the CSeq method of a reply. */
  readonly method: string;
  /** Original Request-URI text ('' for replies). */
  readonly ruri: string;
  /** Reply status (0 for requests). */
  readonly status: number;
  readonly reason: string;
  /** Per-process message id ($mi). */
  readonly id: number;
  readonly rcv: ReceiveInfo;

  /** All header fields, in order. */
  readonly headers: readonly HeaderField[];
  /** First field with this name (any case, compact or long form). */
  header(name: string): HeaderField | undefined;
  /** All fields with this name, in order. */
  headerAll(name: string): HeaderField[];
  readonly body: Buffer;

  /** Typed, cached accessors. */
  uri(): SipUri;
  via(): Via;
  vias(): Via[];
  from(): NameAddr;
  to(): NameAddr;
  cseq(): CSeq;
  callId(): string;
  /** '*' for `Contact: *` */
  contacts(): Contact[] | '*';
  maxForwards(): number | undefined;

  /** Routing state changed by the script. */
  newUri: string | null;
  dstUri: string | null;
  path: string | null;
  /** message flags ($mf), branch-0 flags ($bf) */
  flags: number;
  bflags: number;
  forceSocket: SocketInfo | null;
  /** force_rport(): replies go to the source port and carry rport= even without `;rport` */
  forceRport?: boolean;
}
