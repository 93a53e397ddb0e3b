/** Parts of a message's first line the SipMessage contract does not carry. */
import type { SipMessage } from '../sip/types';

/** The first line without its CRLF. */
export function firstLine(msg: SipMessage): string {
  const b = msg.buf;
  const eol = b.indexOf('\r\n');
  return b.toString('latin1', 0, eol < 0 ? b.length : eol);
}

/** `SIP/2.0` as written: the last token of a request line, the first of a status line. */
export function sipVersion(msg: SipMessage): string {
  const line = firstLine(msg);
  return msg.isRequest ? line.slice(line.lastIndexOf(' ') + 1) : line.slice(0, line.indexOf(' '));
}
