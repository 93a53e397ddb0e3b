/**
 * sl: stateless replies. sl_send_reply(code, reason) answers the current request at once (no
 * transaction, no retransmission); ACKs to those replies are recognised by their To-tag and
 * dropped before the script runs. Kamailio shape (interface v1).
 */
import { hostname } from 'node:os';
import { buildReply, replyDestination, withReplyFlags, type Core, type RunCtx, type SipMessage, type SipMsg, type FixupSite } from '@sipr/core';
import {
  defineKamailioModule, fixup_var_int_1, fixup_var_pve_str_2, FParam, PARAM_INT, PARAM_STR,
  REQUEST_ROUTE, EVENT_ROUTE, ONREPLY_ROUTE, FAILURE_ROUTE,
} from '@sipr/compat';
import { SlStats } from './stats';
import { replyTag, tagPrefix, TAG_LEN } from './tag';

/** how long after a stateless reply an ACK may still be one of ours (Kamailio's SL_RPL_WAIT_TIME) */
const ACK_WINDOW_MS = 2000;
/** err2reason_phrase of E_UNSPEC, signed "SL" as Kamailio does */
const ERROR_REPLY = { code: 500, reason: "I'm terribly sorry, server error occurred (1/SL)" };

const stats = new SlStats();
/** the fixed part of our To-tags: the same for every reply of this host */
const prefix = tagPrefix(`SIPR-stateless ${hostname()}`);
let lastReplyAt = -Infinity;
/** used when the code or reason of sl_send_reply/send_reply comes from a variable without a usable value */
const defaultCode = { value: 500 };
const defaultReason = { value: 'Internal Server Error' };
/** send_reply answers through tm when the request has a transaction */
const bindTm = { value: 1 };

/** The part of tm's engine send_reply uses (tm's api.tm(core)). */
interface TmReplier {
  current(ctx: RunCtx): unknown;
  replyLocal(t: unknown, code: number, reason: string): boolean;
}
let tmOf: ((core: Core) => TmReplier) | undefined;

/** Kamailio's print_dset: the target set as a Contact header, for 3xx replies. */
function contactSet(ctx: RunCtx): string {
  const msg = ctx.msg;
  const uris = [`<${msg.newUri ?? msg.ruri}>`];
  for (const b of ctx.branches) uris.push(b.q >= 0 ? `<${b.uri}>;q=${b.q / 1000}` : `<${b.uri}>`);
  return `Contact: ${uris.join(', ')}\r\n`;
}

/** Send a stateless reply to the current request; 1 when sent, -1 otherwise. */
export function reply(ctx: RunCtx, code: number, reason: string): number {
  const msg = ctx.msg;
  if (!msg.isRequest || msg.method === 'ACK') {
    stats.failures++;
    return -1;
  }
  const sender = ctx.core.sender;
  try {
    // Kamailio's sl tags from 180 up
    const toTag = code >= 180 ? replyTag(prefix, msg) ?? undefined : null;
    const headers = code >= 300 && code < 400 ? contactSet(ctx) : undefined;
    const buf = buildReply(msg as SipMsg, code, reason, { toTag, headers });
    if (!sender || !sender.send(withReplyFlags(ctx, replyDestination(msg)), buf)) {
      ctx.core.log.error(`sl: cannot send ${code} reply${sender ? '' : ' (no transport)'}`);
      stats.failures++;
      return -1;
    }
  } catch (e) {
    ctx.core.log.error(`sl: cannot build ${code} reply: ${e instanceof Error ? e.message : String(e)}`);
    stats.failures++;
    return -1;
  }
  lastReplyAt = Date.now();
  // tm's delayed error reply after a failed t_relay must not follow this one (key: tm's SL_REPLIED)
  if (code >= 200) ctx.slots.set('sl:replied', code);
  stats.replied(code);
  return 1;
}

/** The To-tag sl puts in its replies to this request (for modules that reply themselves). */
export function getReplyTotag(msg: SipMessage): string | null {
  return replyTag(prefix, msg);
}

/** The code of a call; default_code for a variable without an integer reply code. */
function replyCode(ctx: RunCtx, code: FParam): number {
  const c = code.int(ctx);
  if (c !== null && c >= 100 && c <= 999) return c;
  ctx.core.log.error(`sl: cannot use reply code ${JSON.stringify(code.str(ctx))} (${code.orig}), sending ${defaultCode.value}`);
  return defaultCode.value;
}

function w_sl_send_reply(ctx: RunCtx, code: FParam, reason: FParam): number {
  return reply(ctx, replyCode(ctx, code), reason.str(ctx) ?? defaultReason.value);
}

/** Through tm when the request has a transaction, else stateless (replies: only through tm). */
function w_send_reply(ctx: RunCtx, code: FParam, reason: FParam): number {
  const c = replyCode(ctx, code);
  const r = reason.str(ctx) ?? defaultReason.value;
  if (tmOf) {
    const tm = tmOf(ctx.core);
    const t = tm.current(ctx);
    if (t) return tm.replyLocal(t, c, r) ? 1 : -1;
  }
  return ctx.msg.isRequest ? reply(ctx, c, r) : -1;
}

function w_sl_reply_error(ctx: RunCtx): number {
  if (reply(ctx, ERROR_REPLY.code, ERROR_REPLY.reason) < 0) return -1;
  stats.errReplies++;
  ctx.core.log.error(`sl: stateless error reply used: ${ERROR_REPLY.reason}`);
  return 1;
}

/**
 * The code: an integer or a variable (fixup_var_int); a constant must be a reply code already at
 * start. The reason: a variable or a string that may hold PVs (fixup_var_pve_str).
 */
function fixupReply(value: string | null, paramNo: number, site: FixupSite): unknown {
  if (paramNo !== 1) return fixup_var_pve_str_2(value, paramNo, site);
  const p = fixup_var_int_1(value, paramNo, site) as FParam;
  const n = p.constant();
  if (n !== null && (n < 100 || n > 699)) throw new Error(`invalid reply code "${p.orig}"`);
  return p;
}

/** Drops ACKs to our own stateless replies before the script sees them. */
function filterAck(ctx: RunCtx): number | void {
  const msg = ctx.msg;
  if (!msg.isRequest || msg.method !== 'ACK' || Date.now() - lastReplyAt > ACK_WINDOW_MS) return;
  let tag: string | undefined;
  try {
    tag = msg.to().tag;
  } catch {
    return;
  }
  if (tag === undefined || tag.length !== TAG_LEN || tag !== replyTag(prefix, msg)) return;
  stats.filteredAcks++;
  const route = ctx.core.script?.route('event', 'sl:filtered-ack');
  if (route) {
    const r = route(ctx);
    if (r instanceof Promise) r.catch((e) => ctx.core.log.error(`sl: event_route[sl:filtered-ack]: ${String(e)}`));
  }
  return 0;
}

export default defineKamailioModule({
  name: 'sl',
  version: '0.1.0',
  cmds: [
    ['sl_send_reply', w_sl_send_reply, 2, fixupReply, null, REQUEST_ROUTE | EVENT_ROUTE],
    ['sl_reply', w_sl_send_reply, 2, fixupReply, null, REQUEST_ROUTE | EVENT_ROUTE],
    ['send_reply', w_send_reply, 2, fixupReply, null, REQUEST_ROUTE | EVENT_ROUTE | ONREPLY_ROUTE | FAILURE_ROUTE],
    ['sl_reply_error', w_sl_reply_error, 0, null, null, REQUEST_ROUTE | EVENT_ROUTE],
  ],
  params: [
    ['default_code', PARAM_INT, defaultCode],
    ['default_reason', PARAM_STR, defaultReason],
    ['bind_tm', PARAM_INT, bindTm],
  ],
  stats: stats.exports(),
  rpc_methods: [['sl.stats', (rpc) => rpc.add(stats.rpcStruct()), 'Print reply statistics.']],
  api: { reply, getReplyTotag },
  register(c: Core) {
    // one Core per process: a new core (tests) starts from zero
    stats.reset();
    lastReplyAt = -Infinity;
    defaultCode.value = 500;
    defaultReason.value = 'Internal Server Error';
    bindTm.value = 1;
    tmOf = undefined;
    c.hooks.preScript.tap('sl', filterAck);
  },
  init(c: Core) {
    if (bindTm.value) tmOf = c.modules.findExport<(core: Core) => TmReplier>('tm', 'tm');
  },
});
