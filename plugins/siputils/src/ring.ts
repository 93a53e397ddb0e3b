/**
 * ring_insert_callid(): for ring_timeout seconds after it, a 183 reply of that call is turned
 * into a 180 Ringing without body before anything else sees it (Kamailio rewrites the received
 * buffer in a pre-script callback; here the transport's netDataIn hook does the same). The list
 * is per process: with several workers a reply handled by another process is left alone.
 */
import { parseMessage, type Core, type ReceiveInfo, type RunCtx } from '@sipr/core';

export const ring = { timeout: 0 };

const calls = new Map<string, number>();
let clock: (() => number) | null = null;

export function resetRing(core: Core): void {
  ring.timeout = 0;
  calls.clear();
  clock = () => core.timer.now();
}

export function ringInsertCallid(ctx: RunCtx): number {
  let id: string;
  try {
    id = ctx.msg.callId();
  } catch {
    ctx.core.log.error('ring_insert_callid: no Call-ID');
    return -1;
  }
  calls.set(id, clock!() + ring.timeout * 1000);
  return 1;
}

function pending(callId: string): boolean {
  const until = calls.get(callId);
  if (until === undefined) return false;
  if (until > clock!()) return true;
  calls.delete(callId);
  return false;
}

const PREFIX = Buffer.from('SIP/2.0 183 ', 'latin1');

/** 183 of a listed call -> 180 Ringing: reason padded to its old length, Content-Type and body dropped. */
export function ring183(buf: Buffer, rcv: ReceiveInfo): Buffer {
  if (calls.size === 0 || buf.length < PREFIX.length || buf.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) !== 0) return buf;
  let callId: string;
  let text: string;
  let headersStart: number;
  let headersEnd: number;
  try {
    const msg = parseMessage(buf, rcv);
    callId = msg.callId();
    if (!pending(callId)) return buf;
    if (!msg.find('content-length') || !msg.find('content-type')) return buf;
    text = buf.toString('latin1');
    headersStart = msg.headersStart;
    headersEnd = msg.headersEnd;
  } catch {
    return buf;
  }
  const reasonLen = headersStart - 2 - PREFIX.length;
  const status = 'SIP/2.0 180 ' + 'Ringing'.padEnd(reasonLen, ' ').slice(0, reasonLen) + '\r\n';
  const headers = text.slice(headersStart, headersEnd).split(/(?<=\r\n)/)
    .filter((l) => !/^(content-length|l|content-type|c)[ \t]*:/i.test(l))
    .join('');
  return Buffer.from(status + headers + 'Content-Length: 0\r\n\r\n', 'latin1');
}
