/**
 * filter_body(content_type): in a multipart/mixed body keep only the first part of that type
 * (its own headers dropped), as Kamailio's textops does.
 */
import type { RunCtx, SipMsg } from '@sipr/core';

export function filterBody(ctx: RunCtx, contentType: string): number {
  const msg = ctx.msg as SipMsg;
  const log = ctx.core.log;
  const body = msg.body.toString('latin1');
  if (body.length === 0) return -1;
  let ct;
  try {
    ct = msg.contentType();
  } catch {
    ct = undefined;
  }
  if (!ct) {
    log.error('filter_body: failed to parse Content-Type hdr');
    return -1;
  }
  if (ct.mediaType !== 'multipart/mixed') {
    log.error('filter_body: content type is not multipart/mixed');
    return -1;
  }
  const b = ct.params.find((p) => p.name.toLowerCase() === 'boundary');
  if (!b || !b.value) {
    log.error('filter_body: no mandatory param ";boundary"');
    return -1;
  }
  const boundary = '--' + b.value.replace(/^"|"$/g, '');
  const wanted = contentType.toLowerCase();
  const re = /^Content-Type: ([^\r\n]*)\r\n/gim;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m[1].trim().toLowerCase() !== wanted) continue;
    let start = m.index + m[0].length;
    while (start < body.length && (body[start] === '\r' || body[start] === '\n')) start++;
    const end = body.indexOf('\r\n' + boundary, start);
    if (end < 0) {
      log.error('filter_body: boundary not found after content');
      return -1;
    }
    msg.setBody(body.slice(start, end + 2));
    return 1;
  }
  return -1;
}
