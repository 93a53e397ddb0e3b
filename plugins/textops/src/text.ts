/**
 * The received message as text for regex work. SIP is handled as latin1 everywhere in sipr, so a
 * string index is a byte offset and a match maps straight onto a change of the buffer.
 */
import { compileEre, type SipMessage, type SipMsg } from '@sipr/core';

const texts = new WeakMap<Buffer, string>();

/** The received bytes up to the end of the body, decoded once per buffer. */
export function messageText(msg: SipMessage): string {
  const m = msg as SipMsg;
  let t = texts.get(m.buf);
  if (t === undefined) {
    t = m.buf.toString('latin1', 0, m.bodyEnd);
    texts.set(m.buf, t);
  }
  return t;
}

/** Where the headers start: replace/subst skip the first line so the R-URI stays untouched. */
export const headersStart = (msg: SipMessage): number => (msg as SipMsg).headersStart;
export const bodyStart = (msg: SipMessage): number => (msg as SipMsg).bodyStart;

/**
 * A POSIX ERE (bracket classes such as [[:digit:]] included; patterns that could backtrack
 * without end refused) as a global JS RegExp with the given flags. textops compiles with
 * REG_EXTENDED|REG_ICASE|REG_NEWLINE: 'im', ^ and $ at line breaks, case ignored.
 */
export function compileRegex(text: string, flags = 'im'): RegExp {
  return new RegExp(compileEre(text, false).source, flags + 'g');
}

/** First match of a global re in text at or after from. */
export function execFrom(re: RegExp, text: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(text);
}
