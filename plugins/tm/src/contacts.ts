/**
 * t_load_contacts / t_next_contacts: serial forking by q-value. The R-URI and the destination
 * set are ordered by q (highest first; no q counts as 1.0); each call of t_next_contacts takes
 * the next group of equal q as R-URI plus parallel branches.
 */
import type { Branch, RunCtx } from '@sipr/core';
import type { Transaction } from './cell';
import { SLOT_CONTACTS } from './ctx';

const qOf = (b: Branch) => (b.q < 0 ? 1 : b.q);

/** 1 done (also when there is nothing to order), stored on the transaction or the message. */
export function loadContacts(ctx: RunCtx, t: Transaction | null): number {
  const msg = ctx.msg;
  if (ctx.branches.length === 0) return 1;
  const all: Branch[] = [{ uri: msg.newUri ?? msg.ruri, dstUri: msg.dstUri, path: msg.path, q: -1, flags: msg.bflags, socket: msg.forceSocket }, ...ctx.branches];
  if (all.every((b) => qOf(b) === qOf(all[0]))) return 1;
  // stable sort keeps the order of the destination set within one q
  const sorted = all.map((b, i) => ({ b, i })).sort((x, y) => qOf(y.b) - qOf(x.b) || x.i - y.i).map((x) => x.b);
  const groups: Branch[][] = [];
  for (const b of sorted) {
    const last = groups[groups.length - 1];
    if (last && qOf(last[0]) === qOf(b)) last.push(b);
    else groups.push([b]);
  }
  ctx.branches = [];
  if (t) t.contactGroups = groups;
  else ctx.slots.set(SLOT_CONTACTS, groups);
  return 1;
}

/** Put the next group in place (R-URI + branches); -1 when none is left. */
export function nextContacts(ctx: RunCtx, t: Transaction | null): number {
  const groups = t ? t.contactGroups : (ctx.slots.get(SLOT_CONTACTS) as Branch[][] | undefined);
  const g = groups?.shift();
  if (!g) return -1;
  const msg = ctx.msg;
  const [first, ...rest] = g;
  msg.newUri = first.uri;
  msg.dstUri = first.dstUri;
  msg.path = first.path;
  msg.bflags = first.flags;
  msg.forceSocket = first.socket;
  ctx.branches = rest;
  return 1;
}
