/**
 * Route runs that tm starts itself (failure_route, onreply_route[X], branch_route, t_continue,
 * event_route[tm:local-request]) get a RunCtx that carries the transaction in its `tm` slot.
 */
import { createRunCtx, wasDropped, type Core, type RunCtx, type SipMessage, type AvpStores, type RouteKind } from '@sipr/core';
import type { Transaction } from './cell';

export const SLOT = 'tm';
/** Slot holding the branch index a reply route runs for ($T_branch_idx). */
export const SLOT_BRANCH = 'tm:branch';
/** Per-message settings made before the transaction exists (t_set_fr and friends). */
export const SLOT_PENDING = 'tm:pending';
/** Contact groups of t_load_contacts before the transaction exists. */
export const SLOT_CONTACTS = 'tm:contacts';
/**
 * Set by sl when it sent a final reply to this request (its value: the code). tm reads it at the
 * end of the request route so a failed t_relay followed by sl_reply_error() answers once.
 */
export const SL_REPLIED = 'sl:replied';
/** Route hooks armed (t_on_failure...) before the transaction exists. */
export const SLOT_HOOKS = 'tm:hooks';

export interface PendingHooks {
  onFailure: string | null;
  onReply: string | null;
  onBranch: string | null;
}

/** The route ended with `drop`. */
export const dropped = wasDropped;

export function makeCtx(core: Core, msg: SipMessage, routeType: number, stores: AvpStores, t: Transaction | null): RunCtx {
  const ctx = createRunCtx(core, msg, routeType, stores);
  if (t) ctx.slots.set(SLOT, t);
  return ctx;
}

/** Run a named route; `then` runs after it, at once or when an async route settles. */
export function runRoute(core: Core, kind: RouteKind, name: string, ctx: RunCtx, then: (rc: number) => void): void {
  const route = core.script?.route(kind, name);
  if (!route) {
    then(1);
    return;
  }
  let r: number | Promise<number>;
  try {
    r = route(ctx);
  } catch (e) {
    core.log.error(`tm: ${kind}_route[${name}] failed: ${e instanceof Error ? e.message : String(e)}`);
    then(-1);
    return;
  }
  if (typeof r === 'number') then(r);
  else r.then(then, (e) => { core.log.error(`tm: ${kind}_route[${name}] failed: ${e instanceof Error ? e.message : String(e)}`); then(-1); });
}

export function currentTransaction(ctx: RunCtx): Transaction | null {
  return (ctx.slots.get(SLOT) as Transaction | undefined) ?? null;
}
