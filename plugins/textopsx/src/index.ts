/**
 * textopsx: applying the pending changes to the message at once, rewriting a reply's status line,
 * dropping the body. Ser shape (modules/textopsx).
 */
import { SipParseError, type FixupSite, type RunCtx, type SipMsg } from '@sipr/core';
import { defineSerModule, fixup_var_int_1, fixup_spve_null, get_int_fparam, get_str_fparam, FParam, REQUEST_ROUTE, ONREPLY_ROUTE, ANY_ROUTE } from '@sipr/compat';

/** Rebuild the message with its changes so later reads and regexes see them (requests only). */
function msgApplyChanges(ctx: RunCtx): number {
  const msg = ctx.msg as SipMsg;
  if (!msg.isRequest) {
    ctx.core.log.error('msg_apply_changes: the message is not a request');
    return -1;
  }
  try {
    msg.applyChanges();
    return 1;
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    ctx.core.log.error(`msg_apply_changes: the changed message does not parse: ${e.message}`);
    return -1;
  }
}

/** Only negative final replies may change class; 1xx and 2xx keep theirs. */
function allowed(from: number, to: number): boolean {
  return (from >= 300 && to >= 300) || Math.floor(from / 100) === Math.floor(to / 100);
}

/** change_reply_status(code, reason): rewrite the status line of the reply being relayed. */
function changeReplyStatus(ctx: RunCtx, code: FParam, reason: FParam): number {
  const msg = ctx.msg as SipMsg;
  const c = get_int_fparam(ctx, code);
  const r = get_str_fparam(ctx, reason);
  if (c === null || c < 100 || c > 699 || !r) {
    ctx.core.log.error('change_reply_status: invalid status code or reason');
    return -1;
  }
  if (msg.isRequest || !allowed(msg.status, c)) {
    ctx.core.log.error(`change_reply_status: ${msg.isRequest ? 'not a reply' : `cannot change ${msg.status} into ${c}`}`);
    return -1;
  }
  // "SIP/2.0 " then code and reason up to the end of the first line
  const start = msg.version.length + 1;
  let end = start;
  while (end < msg.buf.length && msg.buf[end] !== 13 && msg.buf[end] !== 10) end++;
  msg.replaceRange(start, end, `${c} ${r}`);
  return 1;
}

function codeFixup(value: string | null, paramNo: number, site: FixupSite): unknown {
  if (paramNo === 1) {
    const p = fixup_var_int_1(value, paramNo, site);
    if (p instanceof FParam && p.kind === 'int') {
      const n = Number(p.orig);
      if (n < 100 || n > 699) throw new Error(`wrong status code: ${p.orig}`);
    }
    return p;
  }
  // the reason may hold pseudo-variables
  return fixup_spve_null(value, 1, site);
}

/** remove_body(): 1 also when there was no body. */
function removeBody(ctx: RunCtx): number {
  const msg = ctx.msg as SipMsg;
  if (msg.body.length > 0) msg.setBody('');
  return 1;
}

export default defineSerModule({
  name: 'textopsx',
  version: '0.1.0',
  cmds: [
    ['msg_apply_changes', msgApplyChanges, 0, null, REQUEST_ROUTE],
    ['change_reply_status', changeReplyStatus, 2, codeFixup, ONREPLY_ROUTE],
    ['remove_body', removeBody, 0, null, ANY_ROUTE],
  ],
});
