/** Keeping Content-Length true when changes touch the body or the message goes over a stream. */
import type { SipMsg } from './message';
import * as changesMod from './changes';
import type { Change } from './changes';

// Bound once: the CommonJS build reads imported names through getters on every use.
const { lengthDelta, makeChange } = changesMod;

/**
 * Changes that make the outgoing Content-Length equal the outgoing body length. A missing
 * header is added when the body is not empty or the transport is a stream (where it is
 * mandatory, RFC 3261 18.3).
 */
export function contentLengthFix(msg: SipMsg, changes: readonly Change[], stream: boolean): Change[] {
  const bodyLen = msg.bodyEnd - msg.bodyStart + lengthDelta(changes, msg.bodyStart, msg.bodyEnd);
  // a valid Content-Length that already tells the truth (the usual case)
  if (bodyLen === msg.contentLengthValue) return [];
  const h = msg.find('content-length');
  if (h !== undefined) return [makeChange(h.valueStart, h.valueEnd, String(bodyLen))];
  if (bodyLen === 0 && !stream) return [];
  // a header section that was not closed by an empty line gets one, so the body stays a body
  const closing = msg.headersEnd === msg.bodyStart ? '\r\n' : '';
  return [makeChange(msg.headersEnd, msg.headersEnd, `Content-Length: ${bodyLen}\r\n${closing}`)];
}
