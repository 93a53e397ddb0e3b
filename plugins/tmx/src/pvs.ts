/**
 * $T_* pseudo-variables: the transaction's request, reply, INVITE (for a CANCEL), reply code and
 * branch index, as Kamailio's tmx defines them.
 */
import { RouteType, type PvClassDef, type PvSpec, type RunCtx, type SipMessage, type PvRegistryApi } from '@sipr/core';
import type { Tm } from '@sipr/tm';

export type EngineOf = (ctx: RunCtx) => Tm;

/** Evaluate a PV against another message of the same transaction. */
function onMessage(ctx: RunCtx, msg: SipMessage | null | undefined, spec: PvSpec) {
  if (!msg) return null;
  return spec.get({ ...ctx, msg });
}

const inner = (name: string, pick: (tm: Tm, ctx: RunCtx) => SipMessage | null | undefined, engine: EngineOf): PvClassDef => ({
  name,
  inner: 'required',
  parseInner: (text: string, registry: PvRegistryApi) => registry.parse(text),
  get: (ctx, spec: PvSpec) => onMessage(ctx, pick(engine(ctx), ctx), spec),
});

/** The reply of the current route: the received one, or the picked one in failure_route. */
function currentReply(tm: Tm, ctx: RunCtx): SipMessage | null {
  if (ctx.routeType === RouteType.ONREPLY) return ctx.msg;
  const t = tm.current(ctx);
  return t?.branches[t.pickedBranch]?.reply ?? null;
}

export function tmxPvs(engine: EngineOf): PvClassDef[] {
  return [
    {
      name: 'T_reply_code',
      inner: 'none',
      get(ctx) {
        if (ctx.routeType === RouteType.ONREPLY) return ctx.msg.status;
        const t = engine(ctx).current(ctx);
        if (!t) return 0;
        if (ctx.routeType === RouteType.FAILURE) return t.branches[t.pickedBranch]?.status ?? 0;
        return t.uasStatus;
      },
    },
    {
      name: 'T_branch_idx',
      inner: 'none',
      get(ctx) {
        const tm = engine(ctx);
        if (ctx.routeType === RouteType.ONREPLY) return Math.max(0, tm.replyBranch(ctx));
        const t = tm.current(ctx);
        if (!t) return 0;
        if (ctx.routeType === RouteType.BRANCH) return t.branches.length;
        if (ctx.routeType === RouteType.FAILURE) return Math.max(0, t.pickedBranch);
        return 0;
      },
    },
    {
      name: 'T_reply_reason',
      inner: 'none',
      get(ctx) {
        const rpl = currentReply(engine(ctx), ctx);
        return rpl ? rpl.reason : null;
      },
    },
    inner('T_req', (tm, ctx) => tm.current(ctx)?.req, engine),
    inner('T_rpl', currentReply, engine),
    inner('T_inv', (tm, ctx) => {
      const t = tm.current(ctx);
      if (t?.invite) return t.invite.req;
      return ctx.msg.method === 'CANCEL' ? tm.table.lookupInvite(ctx.msg, tm.cfg)?.req : undefined;
    }, engine),
    {
      name: 'T',
      inner: 'required',
      get(ctx, name: string) {
        const t = engine(ctx).current(ctx);
        if (!t) return null;
        switch (name) {
          case 'id_index': return t.hash;
          case 'id_label': return t.label;
          case 'reply_code': return t.uasStatus;
          case 'branch_index': return t.branches.length;
          default: return null;
        }
      },
    },
  ];
}
