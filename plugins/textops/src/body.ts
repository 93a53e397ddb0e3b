/** Body functions: set_body, set_reply_body, has_body and filter_body. */
import type { RunCtx, SipMsg } from '@sipr/core';
import type { FParam } from '@sipr/compat';

/**
 * filter_body(content_type): in a multipart/mixed body keep only the first part of that type
 * (its own headers dropped), as Kamailio's textops does.
 */
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
    // the CRLF before the boundary belongs to the delimiter (RFC 2046), as Kamailio 5.6 drops it
    msg.setBody(body.slice(start, end));
    return 1;
  }
  return -1;
}


/** Both parameters printed and non-empty, else an error logged for `fn`. */
function bodyParams(ctx: RunCtx, fn: string, body: FParam, ctype: FParam): [string, string] | null {
  const b = body.str(ctx);
  const ct = ctype.str(ctx);
  if (!b || !ct) {
    ctx.core.log.error(`${fn}: invalid body or content-type parameter`);
    return null;
  }
  return [b, ct];
}

export function setBody(ctx: RunCtx, body: FParam, ctype: FParam): number {
  const p = bodyParams(ctx, 'set_body', body, ctype);
  if (!p) return -1;
  (ctx.msg as SipMsg).setBody(p[0], p[1]);
  return 1;
}

/** set_reply_body(body, content_type): body and Content-Type of the replies built for this request. */
export function setReplyBody(ctx: RunCtx, body: FParam, ctype: FParam): number {
  const p = bodyParams(ctx, 'set_reply_body', body, ctype);
  if (!p) return -1;
  (ctx.msg as SipMsg).setReplyBody(p[0], p[1]);
  return 1;
}

/** has_body([mime]): a non-empty body, of that type when given (no Content-Type means SDP). */
export function hasBody(ctx: RunCtx, mime?: string): number {
  const msg = ctx.msg as SipMsg;
  if (msg.body.length === 0) return -1;
  if (mime === undefined) return 1;
  let type: string;
  try {
    const ct = msg.contentType();
    type = ct ? ct.mediaType : 'application/sdp';
  } catch {
    ctx.core.log.error('has_body: failed to parse the Content-Type header');
    return -1;
  }
  return type === mime ? 1 : -1;
}

export function mimeFixup(value: string | null, paramNo: number): unknown {
  if (paramNo !== 1 || value === null) return value;
  const t = value.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t)) throw new Error(`unsupported mime "${value}"`);
  return t;
}
