/**
 * Whole-message checks a server makes before routing (RFC 3261 8.2 / 16.3 and RFC 4475's
 * expectations), and the 400 for messages that do not even parse.
 */
import type { ReceiveInfo } from '../transport/types';
import { SipParseError } from './types';
import { parseMessage, type SipMsg } from './message';
import { buildReply } from './reply';
import { isKnownMethod } from './methods';

export interface Problem {
  /** reply code to answer a request with (400, 505...) */
  code: number;
  reason: string;
}

const SINGLE = ['from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-length'];
const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'];
const NAMES: Record<string, string> = {
  via: 'Via',
  from: 'From',
  to: 'To',
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'max-forwards': 'Max-Forwards',
  'content-length': 'Content-Length',
  contact: 'Contact',
  uri: 'Request-URI',
};

/**
 * Everything that makes a parsed message unusable: wrong version (505), missing, duplicated or
 * malformed mandatory headers, CSeq method not matching the request method (400).
 * null when the message is fine.
 */
export function checkMessage(msg: SipMsg): Problem | null {
  if (msg.version.toUpperCase() !== 'SIP/2.0') return { code: 505, reason: 'Version Not Supported' };
  for (const key of REQUIRED) if (msg.find(key) === undefined) return { code: 400, reason: `Missing ${NAMES[key]} header` };
  for (const key of SINGLE) {
    let n = 0;
    for (let i = 0; i < msg.headerCount; i++) if (msg.keyAt(i) === key) n++;
    if (n > 1) return { code: 400, reason: `Duplicate ${NAMES[key]} header` };
  }
  try {
    msg.vias();
    msg.from();
    msg.to();
    msg.callId();
    const cseq = msg.cseq();
    msg.maxForwards();
    if (msg.find('contact')) msg.contacts();
    if (msg.isRequest) {
      const uri = msg.uri();
      if (uri.headers.length > 0) return { code: 400, reason: 'Request-URI with headers' };
      if (cseq.method !== msg.method) {
        // RFC 4475 3.1.2.18: an unknown method is better answered as not implemented
        if (!isKnownMethod(msg.method)) return { code: 501, reason: 'Not Implemented' };
        return { code: 400, reason: 'CSeq method does not match request method' };
      }
    }
  } catch (e) {
    if (e instanceof SipParseError) {
      return { code: 400, reason: e.where === 'uri' ? 'Bad Request-URI' : `Bad ${NAMES[e.where] ?? e.where} header` };
    }
    throw e;
  }
  return null;
}

/**
 * A 400 for bytes that did not parse, when the request line is readable and Via, From, To,
 * Call-ID and CSeq can be copied; null otherwise (replies, ACKs and garbage get no answer).
 * `why` becomes the reason phrase.
 */
export function buildBadRequestReply(buf: Buffer, rcv: ReceiveInfo, why: string): Buffer | null {
  let msg: SipMsg;
  try {
    msg = parseMessage(buf, rcv, { lenient: true });
  } catch (e) {
    if (e instanceof SipParseError) return null;
    throw e;
  }
  if (!msg.isRequest || msg.method === 'ACK') return null;
  for (const key of REQUIRED) if (msg.find(key) === undefined) return null;
  try {
    msg.via();
  } catch {
    return null;
  }
  const reason = why.replace(/[\r\n]+/g, ' ');
  return buildReply(msg, 400, reason);
}
