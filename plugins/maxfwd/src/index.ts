/**
 * maxfwd: loop protection with Max-Forwards. Ser shape (interface v0) with the fparam fixups.
 * The header is rewritten the way Kamailio does it, in place: the digits keep their width and a
 * shorter number is padded with spaces on the left ("10" becomes " 9"), so nothing else in the
 * message moves.
 */
import type { Change, Core, RunCtx, SipMessage, SipMsg } from '@sipr/core';
import { defineSerModule, fixup_var_int_1, get_int_fparam, FParam, PARAM_INT, PARAM_USE_FUNC, REQUEST_ROUTE, FAILURE_ROUTE, BRANCH_ROUTE } from '@sipr/compat';

/** The highest Max-Forwards value passed on (cfg var maxfwd.max_limit in Kamailio, 0..255). */
let maxLimit = 70;
/** sipr extension, off by default as in Kamailio: send "483 Too Many Hops" (through sl) at 0. */
let reply483 = 0;
let slReply: ((ctx: RunCtx, code: number, reason: string) => number) | undefined;

/** Value after our last decrement and the change that wrote it (a second call decrements again). */
const done = new WeakMap<SipMessage, { value: number; change: Change }>();

/** The current value: -1 when absent, -2 when malformed. */
function current(msg: SipMessage): number {
  const mine = done.get(msg);
  if (mine) return mine.value;
  try {
    return msg.maxForwards() ?? -1;
  } catch {
    return -2;
  }
}

function rewrite(msg: SipMsg, value: number): void {
  const h = msg.find('max-forwards')!;
  const width = h.valueEnd - h.valueStart;
  const digits = String(value);
  // in place: as many digits as fit, right-aligned (Kamailio writes into the received bytes)
  const text = digits.length >= width ? digits.slice(digits.length - width) : digits.padStart(width, ' ');
  const prev = done.get(msg);
  if (prev) msg.dropChange(prev.change);
  done.set(msg, { value, change: msg.replaceRange(h.valueStart, h.valueEnd, text) });
}

/** 2: header added; 1: decremented; -1: it was 0 (or bad limit); -2: malformed header. */
export function processMaxfwd(ctx: RunCtx, limit: number): number {
  if (limit < 0 || limit > 255) {
    ctx.core.log.error(`maxfwd: invalid param value: ${limit}`);
    return -1;
  }
  const msg = ctx.msg as SipMsg;
  let val = current(msg);
  switch (val) {
    case -1:
      msg.prependHeader(`Max-Forwards: ${limit}\r\n`);
      return 2;
    case -2:
      ctx.core.log.error('maxfwd: unable to parse the max forwards number');
      return -2;
    case 0:
      if (reply483 && slReply && msg.method !== 'ACK') slReply(ctx, 483, 'Too Many Hops');
      return -1;
    default:
      if (val > maxLimit) val = maxLimit + 1;
      rewrite(msg, val - 1);
      return 1;
  }
}

function w_process_maxfwd(ctx: RunCtx, limit: FParam): number {
  const n = get_int_fparam(ctx, limit);
  if (n === null) {
    ctx.core.log.error('maxfwd: could not get param value');
    return -1;
  }
  return processMaxfwd(ctx, n);
}

/** 1 when Max-Forwards is below limit; -1 when not; -2 when absent; -3 when malformed. */
function w_is_maxfwd_lt(ctx: RunCtx, limit: FParam): number {
  const n = get_int_fparam(ctx, limit);
  if (n === null || n < 0 || n > 255) {
    ctx.core.log.error(`maxfwd: invalid param value: ${n === null ? limit.orig : n}`);
    return -1;
  }
  const val = current(ctx.msg);
  if (val < 0) return val - 1;
  return val >= n ? -1 : 1;
}

function range(name: string, set: (v: number) => void) {
  return (_type: number, v: number): number => {
    if (v < 0 || v > 255) throw new Error(`${name} must be 0..255, not ${v}`);
    set(v);
    return 0;
  };
}

const LT_ROUTES = REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE;

export default defineSerModule({
  name: 'maxfwd',
  version: '0.1.0',
  cmds: [
    ['mf_process_maxfwd_header', w_process_maxfwd, 1, fixup_var_int_1, REQUEST_ROUTE],
    ['maxfwd_process', w_process_maxfwd, 1, fixup_var_int_1, REQUEST_ROUTE],
    ['process_maxfwd', w_process_maxfwd, 1, fixup_var_int_1, REQUEST_ROUTE],
    ['is_maxfwd_lt', w_is_maxfwd_lt, 1, fixup_var_int_1, LT_ROUTES],
    ['maxfwd_at_least', w_is_maxfwd_lt, 1, fixup_var_int_1, LT_ROUTES],
    ['mf_lowlimit', w_is_maxfwd_lt, 1, fixup_var_int_1, LT_ROUTES],
  ],
  params: [
    ['max_limit', PARAM_INT | PARAM_USE_FUNC, range('max_limit', (v) => { maxLimit = v; })],
    ['reply_483', PARAM_INT | PARAM_USE_FUNC, range('reply_483', (v) => { reply483 = v; })],
  ],
  api: { process_maxfwd: processMaxfwd },
  register() {
    // one Core per process: a new core (tests) starts from the defaults
    maxLimit = 70;
    reply483 = 0;
    slReply = undefined;
  },
  init(core: Core) {
    if (!reply483) return;
    slReply = core.modules.findExport<typeof slReply>('sl', 'reply');
    if (!slReply) throw new Error('reply_483 needs the sl module loaded');
  },
});
