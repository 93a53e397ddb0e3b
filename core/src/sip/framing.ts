/**
 * First line and header boundaries. This is the only work done for every received message;
 * everything else is parsed when asked for.
 */
import { SipParseError } from './types';
import { TOKEN as TOKEN_TABLE, latin1 as latin1Of, matchBytes } from './chars';
import { headerKey, knownHeaderKey } from './names';
import { KNOWN_METHODS } from './methods';

// Module-local copies: the CommonJS build turns every use of an imported binding into a getter
// call, too costly inside per-byte loops.
const TOKEN: Uint8Array = TOKEN_TABLE;
const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const knownKey = knownHeaderKey;

const latin1 = latin1Of;
const spells = matchBytes;
const METHODS = KNOWN_METHODS;
const SIP20 = 'SIP/2.0';
const keyOf = headerKey;

export interface Frame {
  isRequest: boolean;
  method: string;
  ruri: string;
  ruriStart: number;
  ruriEnd: number;
  version: string;
  status: number;
  reason: string;
  /**
   * Header fields, found but not materialised: canonical keys and 5 numbers each: start, end,
   * valueStart, valueEnd, folded.
   */
  keys: string[];
  offsets: number[];
  /** offset of the first header field */
  headersStart: number;
  /** offset where the empty line ending the headers starts (= end of the last field) */
  headersEnd: number;
  bodyStart: number;
  bodyEnd: number;
  /** Content-Length value, -1 when absent */
  contentLength: number;
}

export interface FrameOptions {
  /** Accept a malformed first line / header line / length (used to build a 400 for them). */
  lenient?: boolean;
}

function fail(msg: string, where: string, offset: number): SipParseError {
  return new SipParseError(msg, where, offset);
}

export function frameMessage(buf: Buffer, opts?: FrameOptions): Frame {
  const lenient = opts?.lenient === true;
  const len = buf.length;
  let p = 0;
  // RFC 3261 7.5: CRLFs before the start-line are ignored
  while (p < len && (buf[p] === CR || buf[p] === LF)) p++;
  if (p >= len) throw fail('empty message', 'first-line', p);
  let nl = buf.indexOf(LF, p);
  if (nl < 0) throw fail('first line not terminated', 'first-line', p);
  let lineEnd = nl > p && buf[nl - 1] === CR ? nl - 1 : nl;
  const f: Frame = {
    isRequest: true,
    method: '',
    ruri: '',
    ruriStart: 0,
    ruriEnd: 0,
    version: '',
    status: 0,
    reason: '',
    keys: [],
    offsets: [],
    headersStart: nl + 1,
    headersEnd: 0,
    bodyStart: 0,
    bodyEnd: 0,
    contentLength: -1,
  };
  firstLine(buf, p, lineEnd, f, lenient);

  const keys = f.keys;
  const offsets = f.offsets;
  p = nl + 1;
  let clStart = -1;
  let clValue = -1;
  for (;;) {
    if (p >= len) {
      // header section not closed by an empty line: tolerated for a datagram (RFC 4475 baddn)
      f.headersEnd = len;
      f.bodyStart = len;
      break;
    }
    let c = buf[p];
    if (c === LF) {
      f.headersEnd = p;
      f.bodyStart = p + 1;
      break;
    }
    if (c === CR && p + 1 < len && buf[p + 1] === LF) {
      f.headersEnd = p;
      f.bodyStart = p + 2;
      break;
    }
    const start = p;
    // same hash as names.nameHash, computed on the way
    let hash = 0;
    while (p < len && TOKEN[(c = buf[p])] === 1) {
      hash = (Math.imul(hash, 31) + (c | 0x20)) | 0;
      p++;
    }
    const nameEnd = p;
    while (p < len && (buf[p] === SP || buf[p] === HT)) p++;
    if (nameEnd === start || p >= len || buf[p] !== 58) {
      if (!lenient) throw fail(nameEnd === start ? 'bad header name' : 'header line without colon', 'header', start);
      nl = buf.indexOf(LF, p);
      p = nl < 0 ? len : nl + 1;
      continue;
    }
    p++;
    while (p < len && (buf[p] === SP || buf[p] === HT)) p++;
    const valueStart = p;
    let folded = false;
    let next: number;
    for (;;) {
      nl = buf.indexOf(LF, p);
      if (nl < 0) {
        lineEnd = len;
        next = len;
        break;
      }
      lineEnd = nl > valueStart && buf[nl - 1] === CR ? nl - 1 : nl;
      next = nl + 1;
      if (next < len && ((c = buf[next]) === SP || c === HT)) {
        folded = true;
        p = next;
        continue;
      }
      break;
    }
    let valueEnd = lineEnd;
    while (valueEnd > valueStart && isLwsByte(buf[valueEnd - 1])) valueEnd--;
    const key = knownKey(buf, start, nameEnd, hash) ?? keyOf(latin1(buf, start, nameEnd));
    keys.push(key);
    offsets.push(start, next, valueStart, valueEnd, folded ? 1 : 0);
    if (key === 'content-length') {
      const n = digitsValue(buf, valueStart, valueEnd, folded);
      if (clStart >= 0 && n !== clValue && !lenient) throw fail('conflicting Content-Length headers', 'content-length', start);
      clStart = start;
      clValue = n;
    }
    p = next;
  }

  if (clStart >= 0) {
    let n = clValue;
    if (n < 0) {
      if (!lenient) throw fail('bad Content-Length', 'content-length', clStart);
      n = len - f.bodyStart;
    }
    if (f.bodyStart + n > len) {
      if (!lenient) throw fail('Content-Length larger than the message', 'content-length', clStart);
      n = len - f.bodyStart;
    }
    f.contentLength = n;
    f.bodyEnd = f.bodyStart + n;
  } else f.bodyEnd = len;
  return f;
}

/** Decimal value of buf[s, e) when it is 1-9 digits, else -1 (folded values count as malformed). */
function digitsValue(buf: Buffer, s: number, e: number, folded: boolean): number {
  if (folded || e <= s || e - s > 9) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function isLwsByte(c: number): boolean {
  return c === SP || c === HT || c === CR || c === LF;
}

function firstLine(buf: Buffer, p: number, end: number, f: Frame, lenient: boolean): void {
  // a reply starts with "SIP/"; a request method is a token, which "SIP/" is not
  if (end - p >= 4 && (buf[p] | 0x20) === 0x73 && (buf[p + 1] | 0x20) === 0x69 && (buf[p + 2] | 0x20) === 0x70 && buf[p + 3] === 47) {
    f.isRequest = false;
    const sp1 = buf.indexOf(SP, p);
    if (sp1 < 0 || sp1 >= end) throw fail('status line without status code', 'first-line', p);
    f.version = versionAt(buf, p, sp1);
    let q = sp1 + 1;
    let code = 0;
    while (q < end && buf[q] >= 48 && buf[q] <= 57) code = code * 10 + (buf[q++] - 48);
    if (q - sp1 - 1 !== 3 || code < 100) throw fail('bad status code', 'first-line', sp1 + 1);
    if (q < end && buf[q] !== SP) throw fail('bad status code', 'first-line', sp1 + 1);
    f.status = code;
    f.reason = q < end ? latin1(buf, q + 1, end) : '';
    return;
  }
  let q = p;
  while (q < end && TOKEN[buf[q]] === 1) q++;
  if (q === p || q >= end || buf[q] !== SP) {
    if (!lenient || q === p) throw fail('bad request method', 'first-line', p);
  }
  f.method = methodAt(buf, p, q);
  if (lenient) return;
  const us = q + 1;
  const sp2 = buf.indexOf(SP, us);
  if (sp2 < 0 || sp2 >= end || sp2 === us) throw fail('bad Request-URI', 'first-line', us);
  // scheme ":" is the least any URI has; catches <uri>, empty and space-broken R-URIs early
  let s = us;
  while (s < sp2 && isSchemeByte(buf[s], s === us)) s++;
  if (s === us || s >= sp2 || buf[s] !== 58) throw fail('bad Request-URI', 'first-line', us);
  for (let i = us; i < sp2; i++) if (buf[i] < 33 || buf[i] === 127) throw fail('bad Request-URI', 'first-line', i);
  f.ruriStart = us;
  f.ruriEnd = sp2;
  f.ruri = latin1(buf, us, sp2);
  f.version = versionAt(buf, sp2 + 1, end);
}

function isSchemeByte(c: number, first: boolean): boolean {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  return !first && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46);
}

function methodAt(buf: Buffer, s: number, e: number): string {
  for (let i = 0; i < METHODS.length; i++) if (spells(buf, s, e, METHODS[i])) return METHODS[i];
  return latin1(buf, s, e);
}

/** `SIP/<digits>.<digits>`; a version other than 2.0 parses (the server answers 505). */
function versionAt(buf: Buffer, s: number, e: number): string {
  if (spells(buf, s, e, SIP20)) return SIP20;
  const v = latin1(buf, s, e);
  if (!/^SIP\/[0-9]+\.[0-9]+$/i.test(v)) throw fail('bad SIP version', 'first-line', s);
  return v;
}
