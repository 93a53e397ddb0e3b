/**
 * tm's script functions. Each is a thin wrapper: find the engine for ctx.core, check the route
 * type, call into Tm. Return values follow Kamailio (>0 true, <0 false, 0 stop the script).
 */
import { RouteType, type ModuleFunction, type RunCtx, type ScriptParam, type FixupSite, type Destination, type Proto } from '@sipr/core';
import type { Tm, PendingSettings } from './tm';
import { SLOT_PENDING, SLOT_HOOKS, type PendingHooks } from './ctx';
import { textParam, routeParam, intParam, regexParam, type TextParam } from './fixups';
import { uriDestination } from './sip-wire';

const { REQUEST, FAILURE, ONREPLY, BRANCH } = RouteType;
const ANY = REQUEST | FAILURE | ONREPLY | BRANCH;

export type EngineOf = (ctx: RunCtx) => Tm;

function relayTo(proto: Proto | null) {
  return (params: readonly ScriptParam[], site: FixupSite): unknown[] => {
    if (params.length === 0) return [proto];
    const host = textParam(params[0], site);
    const port = params[1] ? textParam(params[1], site) : () => '';
    return [proto, host, port];
  };
}

function forcedDst(ctx: RunCtx, proto: Proto | null, host?: TextParam, port?: TextParam): Destination | null | undefined {
  if (!host) {
    if (!proto) return undefined;
    const d = uriDestination(ctx.msg.dstUri ?? ctx.msg.newUri ?? ctx.msg.ruri);
    return d ? { ...d, proto } : null;
  }
  const p = port?.(ctx) ?? '';
  const uri = `sip:${host(ctx)}${p ? ':' + p : ''}${proto && proto !== 'udp' ? ';transport=' + proto : ''}`;
  return uriDestination(uri);
}

/** Transaction for status tests; in a request route before t_newtran there is none. */
function statusOf(tm: Tm, ctx: RunCtx): number {
  const t = tm.current(ctx);
  if (ctx.routeType === ONREPLY) return ctx.msg.status;
  if (!t) return -1;
  if (ctx.routeType === FAILURE) return t.branches[t.pickedBranch]?.status ?? -1;
  return t.uasStatus;
}

function pending(ctx: RunCtx): PendingSettings {
  let p = ctx.slots.get(SLOT_PENDING) as PendingSettings | undefined;
  if (!p) {
    p = {};
    ctx.slots.set(SLOT_PENDING, p);
  }
  return p;
}

export function tmFunctions(engine: EngineOf): ModuleFunction[] {
  const relay = (name: string, proto: Proto | null, arity: number | 'var'): ModuleFunction => ({
    name,
    arity,
    allowed: REQUEST | FAILURE,
    fixup: relayTo(proto),
    impl: (ctx: RunCtx, p: Proto | null, host?: TextParam, port?: TextParam) => {
      const dst = forcedDst(ctx, p, host, port);
      if (dst === null) return -1;
      return engine(ctx).relay(ctx, dst);
    },
  });
  return [
    relay('t_relay', null, 'var'),
    relay('t_relay_to_udp', 'udp', 'var'),
    relay('t_relay_to_tcp', 'tcp', 'var'),
    relay('t_relay_to_tls', 'tls', 'var'),
    relay('t_relay_to_sctp', 'sctp', 'var'),
    {
      name: 't_newtran', arity: 0, allowed: REQUEST,
      impl: (ctx) => engine(ctx).newTransaction(ctx),
    },
    {
      name: 't_reply', arity: 2, allowed: REQUEST | FAILURE,
      fixup: (params, site) => [textParam(params[0], site), textParam(params[1], site)],
      impl: (ctx, code: TextParam, reason: TextParam) => {
        const tm = engine(ctx);
        const t = tm.current(ctx);
        const c = Number(code(ctx));
        if (!t || !Number.isInteger(c) || c < 100 || c > 699) return -1;
        return tm.replyLocal(t, c, reason(ctx)) ? 1 : -1;
      },
    },
    {
      name: 't_check_trans', arity: 0, allowed: REQUEST | ONREPLY | BRANCH,
      impl: (ctx) => engine(ctx).checkTrans(ctx),
    },
    {
      name: 't_lookup_request', arity: 0, allowed: REQUEST,
      impl: (ctx) => (engine(ctx).lookup(ctx) ? 1 : -1),
    },
    {
      name: 't_retransmit_reply', arity: 0, allowed: REQUEST,
      impl: (ctx) => engine(ctx).retransmitReply(ctx),
    },
    {
      name: 't_release', arity: 0, allowed: REQUEST,
      impl: (ctx) => engine(ctx).release(ctx),
    },
    onRoute('t_on_failure', 'failure', 'failure_route', (t, n) => { t.onFailure = n; }),
    onRoute('t_on_reply', 'onreply', 'onreply_route', (t, n) => { t.onReply = n; }),
    onRoute('t_on_branch', 'branch', 'branch_route', (t, n) => { t.onBranch = n; }),
    {
      name: 't_check_status', arity: 1, allowed: ANY,
      fixup: (params, site) => [regexParam(params[0], site)],
      impl: (ctx, re: RegExp) => {
        const s = statusOf(engine(ctx), ctx);
        return s > 0 && re.test(String(s)) ? 1 : -1;
      },
    },
    {
      name: 't_is_canceled', arity: 0, allowed: ANY,
      impl: (ctx) => (engine(ctx).current(ctx)?.canceled ? 1 : -1),
    },
    {
      name: 't_branch_timeout', arity: 0, allowed: FAILURE,
      impl: (ctx) => {
        const t = engine(ctx).current(ctx);
        const b = t?.branches[t.pickedBranch];
        return b && b.local && b.status === 408 ? 1 : -1;
      },
    },
    {
      name: 't_branch_replied', arity: 0, allowed: FAILURE,
      impl: (ctx) => {
        const t = engine(ctx).current(ctx);
        const b = t?.branches[t.pickedBranch];
        return b && (b.reply !== null || b.gotProvisional) ? 1 : -1;
      },
    },
    {
      name: 't_any_timeout', arity: 0, allowed: ANY,
      impl: (ctx) => (engine(ctx).current(ctx)?.branches.some((b) => b.local && b.status === 408) ? 1 : -1),
    },
    {
      name: 't_any_replied', arity: 0, allowed: ANY,
      impl: (ctx) => (engine(ctx).current(ctx)?.branches.some((b) => b.reply !== null || b.gotProvisional) ? 1 : -1),
    },
    {
      name: 't_grep_status', arity: 1, allowed: ANY,
      fixup: (params, site) => [intParam(params[0], site, 100)],
      impl: (ctx, code: number) => (engine(ctx).current(ctx)?.branches.some((b) => b.status === code && !b.local) ? 1 : -1),
    },
    {
      name: 't_drop_replies', arity: 'var', allowed: FAILURE,
      fixup: (params) => [params.length ? String(params[0].value) : 'a'],
      impl: (ctx, mode: string) => {
        const tm = engine(ctx);
        const t = tm.current(ctx);
        if (!t) return -1;
        tm.dropReplies(t, mode === 'l' ? 'l' : mode === 'n' ? 'n' : 'a');
        return 1;
      },
    },
    {
      name: 't_set_fr', arity: 'var', allowed: REQUEST | FAILURE | BRANCH | ONREPLY,
      fixup: (params, site) => params.map((p) => intParam(p, site)),
      impl: (ctx, frInv: number, fr?: number) => {
        const t = engine(ctx).current(ctx);
        if (t) {
          if (frInv) t.timers.frInvTimer = frInv;
          if (fr) t.timers.frTimer = fr;
        } else {
          const p = pending(ctx);
          if (frInv) p.frInv = frInv;
          if (fr) p.fr = fr;
        }
        return 1;
      },
    },
    {
      name: 't_reset_fr', arity: 0, allowed: REQUEST | FAILURE | BRANCH | ONREPLY,
      impl: (ctx) => {
        const tm = engine(ctx);
        const t = tm.current(ctx);
        if (t) {
          t.timers.frInvTimer = tm.cfg.frInvTimer;
          t.timers.frTimer = tm.cfg.frTimer;
        } else {
          const p = pending(ctx);
          delete p.fr;
          delete p.frInv;
        }
        return 1;
      },
    },
    {
      name: 't_set_retr', arity: 2, allowed: REQUEST | FAILURE | BRANCH | ONREPLY,
      fixup: (params, site) => params.map((p) => intParam(p, site)),
      impl: (ctx, t1: number, t2: number) => {
        const t = engine(ctx).current(ctx);
        const target = t ? t.timers : pending(ctx);
        if (t1) target.t1 = t1;
        if (t2) target.t2 = t2;
        return 1;
      },
    },
    {
      name: 't_set_auto_inv_100', arity: 1, allowed: REQUEST | FAILURE | BRANCH | ONREPLY,
      fixup: (params, site) => [intParam(params[0], site) !== 0],
      impl: (ctx, on: boolean) => {
        const t = engine(ctx).current(ctx);
        if (t) t.autoInv100 = on;
        else pending(ctx).autoInv100 = on;
        return 1;
      },
    },
    {
      name: 't_set_disable_6xx', arity: 1, allowed: REQUEST | FAILURE | BRANCH | ONREPLY,
      fixup: (params, site) => [intParam(params[0], site) !== 0],
      impl: (ctx, on: boolean) => {
        const t = engine(ctx).current(ctx);
        if (!t) return -1;
        t.disable6xx = on;
        return 1;
      },
    },
    {
      name: 't_suspend', arity: 0, allowed: REQUEST | FAILURE,
      impl: (ctx) => (engine(ctx).suspend(ctx) ? 1 : -1),
    },
    {
      name: 't_continue', arity: 3, allowed: ANY | RouteType.EVENT,
      fixup: (params, site) => [textParam(params[0], site), textParam(params[1], site), routeParam('request', 'route')([params[2]], site)[0]],
      impl: (ctx, index: TextParam, label: TextParam, route: string) => {
        const h = Number(index(ctx));
        const l = Number(label(ctx));
        if (!Number.isInteger(h) || !Number.isInteger(l)) return -1;
        return engine(ctx).resume(h, l, route);
      },
    },
  ];

  function onRoute(name: string, kind: 'failure' | 'onreply' | 'branch', label: string,
    set: (t: NonNullable<ReturnType<Tm['current']>> | PendingHooks, n: string) => void): ModuleFunction {
    return {
      name, arity: 1, allowed: REQUEST | FAILURE | ONREPLY | BRANCH,
      fixup: routeParam(kind, label),
      impl: (ctx, route: string) => {
        const t = engine(ctx).current(ctx);
        set(t ?? pendingHooks(ctx), route);
        return 1;
      },
    };
  }
}

function pendingHooks(ctx: RunCtx): PendingHooks {
  let h = ctx.slots.get(SLOT_HOOKS) as PendingHooks | undefined;
  if (!h) {
    h = { onFailure: null, onReply: null, onBranch: null };
    ctx.slots.set(SLOT_HOOKS, h);
  }
  return h;
}
