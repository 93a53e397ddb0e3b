/**
 * Bytes of a request the server originates (t_uac_dlg): the caller's headers plus what a request
 * needs and they left out (From tag, Call-ID, CSeq, Max-Forwards, Content-Length).
 */
import type { SocketInfo } from '@sipr/core';
import { randomHex } from './ids';

export interface LocalRequest {
  method: string;
  ruri: string;
  /** header lines, CRLF separated; From and To are required */
  headers: string;
  body: string;
}

/** Header names present in a block of header lines (lower case, compact forms expanded). */
function names(headers: string): Set<string> {
  const compact: Record<string, string> = { f: 'from', t: 'to', i: 'call-id', l: 'content-length', v: 'via', c: 'content-type' };
  const out = new Set<string>();
  for (const line of headers.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const n = line.slice(0, i).trim().toLowerCase();
    out.add(compact[n] ?? n);
  }
  return out;
}

/** Throws on missing From/To; the returned builder makes the bytes for a given Via branch. */
export function localRequestBuilder(req: LocalRequest): (branch: string, socket: SocketInfo) => Buffer {
  const have = names(req.headers);
  if (!have.has('from') || !have.has('to')) throw new Error('From and To headers are required');
  let headers = req.headers.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^\s*(content-length|l)\s*:/i.test(l));
  headers = headers.map((l) => (/^\s*(from|f)\s*:/i.test(l) && !/;\s*tag=/i.test(l) ? `${l};tag=${randomHex(8)}` : l));
  if (!have.has('call-id')) headers.push(`Call-ID: ${randomHex(12)}`);
  if (!have.has('cseq')) headers.push(`CSeq: 10 ${req.method}`);
  if (!have.has('max-forwards')) headers.push('Max-Forwards: 70');
  const body = Buffer.from(req.body);
  const tail = `${headers.join('\r\n')}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return (branch, socket) => {
    const host = socket.advertisedAddress ?? socket.address;
    const port = socket.advertisedPort ?? socket.port;
    const via = `Via: SIP/2.0/${socket.proto.toUpperCase()} ${host.includes(':') ? `[${host}]` : host}:${port};branch=${branch}`;
    return Buffer.concat([Buffer.from(`${req.method} ${req.ruri} SIP/2.0\r\n${via}\r\n${tail}`), body]);
  };
}
