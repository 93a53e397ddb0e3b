/**
 * tm's script functions, as ser-style cmds (one entry per name and parameter count, as in
 * Kamailio's tm.c). Each is a thin wrapper: find the engine for ctx.core, call into Tm.
 * Return values follow Kamailio (>0 true, <0 false, 0 stop the script).
 */
import { RouteType, type RunCtx, type Destination, type Proto } from '@sipr/core';
import {
  fixup_spve_spve, fixup_spve_null, fixup_regexp_null, fixup_uint_null, fixup_uint_uint, fixup_str_null,
  type CmdObject, type FParam, type ShapeFixup,
} from '@sipr/compat';
import type { Tm, PendingSettings } from './tm';
import { SLOT_PENDING, SLOT_HOOKS, type PendingHooks } from './ctx';
import { routeName, relayToOne, relayToTwo, type RelayToParam } from './fixups';
import { uriDestination } from './sip-wire';
import { loadContacts, nextContacts } from './contacts';

const { REQUEST, FAILURE, ONREPLY, BRANCH, EVENT } = RouteType;
const ANY = REQUEST | FAILURE | ONREPLY | BRANCH;
const TUNING = REQUEST | FAILURE | BRANCH | ONREPLY;

export type EngineOf = (ctx: RunCtx) => Tm;

/** t_relay(host, port)'s second parameter: the port, and the next hop when both are constants. */
interface HostPort {
  port: FParam;
  fixed: Destination | null;
}

function hostPortDst(proto: Proto | null, host: string, port: string): Destination | null {
  return uriDestination(`sip:${host}${port ? ':' + port : ''}${proto && proto !== 'udp' ? ';transport=' + proto : ''}`);
}

/** host and port (PVs allowed); constants are turned into the next hop, and checked, at start. */
function hostPortFixup(proto: Proto | null): ShapeFixup {
  return (value, paramNo, site) => {
    const p = fixup_spve_spve(value, paramNo, site) as FParam;
    if (paramNo !== 2) return p;
    const host = fixup_spve_spve(String(site.params[0].value), 1, site) as FParam;
    const constant = (f: FParam) => f.kind === 'str' || f.kind === 'int';
    if (!constant(host) || !constant(p)) return { port: p, fixed: null };
    const fixed = hostPortDst(proto, host.orig, p.orig);
    if (!fixed) throw new Error(`"${host.orig}" port "${p.orig}" is not an address and port (only literal addresses resolve)`);
    return { port: p, fixed };
  };
}

/** The next hop named by t_relay(host, port) / t_relay_to_<proto>(): undefined = the message's own. */
function forcedDst(ctx: RunCtx, proto: Proto | null, host?: FParam, port?: HostPort): Destination | null | undefined {
  if (!host || !port) {
    if (!proto) return undefined;
    const d = uriDestination(ctx.msg.dstUri ?? ctx.msg.newUri ?? ctx.msg.ruri);
    return d ? { ...d, proto } : null;
  }
  if (port.fixed) return port.fixed;
  const h = host.str(ctx);
  if (h === null) return null;
  return hostPortDst(proto, h, port.port.str(ctx) ?? '');
}

/** Status t_check_status tests: the reply (reply route), the picked one (failure route), the last sent. */
function statusOf(tm: Tm, ctx: RunCtx): number {
  if (ctx.routeType === ONREPLY) return ctx.msg.status;
  const t = tm.current(ctx);
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

function pendingHooks(ctx: RunCtx): PendingHooks {
  let h = ctx.slots.get(SLOT_HOOKS) as PendingHooks | undefined;
  if (!h) {
    h = { onFailure: null, onReply: null, onBranch: null };
    ctx.slots.set(SLOT_HOOKS, h);
  }
  return h;
}

const cmd = (name: string, fn: CmdObject['function'], param_no: number, fixup: ShapeFixup | null, flags: number): CmdObject =>
  ({ name, function: fn, param_no, fixup, flags });

export function tmCmds(engine: EngineOf): CmdObject[] {
  const relays: CmdObject[] = [];
  for (const [name, proto] of [['t_relay', null], ['t_relay_to_udp', 'udp'], ['t_relay_to_tcp', 'tcp'], ['t_relay_to_tls', 'tls'], ['t_relay_to_sctp', 'sctp']] as const) {
    const run = (ctx: RunCtx, host?: FParam, port?: HostPort) => {
      const dst = forcedDst(ctx, proto, host, port);
      return dst === null ? -1 : engine(ctx).relay(ctx, dst);
    };
    relays.push(cmd(name, (ctx) => run(ctx), 0, null, REQUEST | FAILURE));
    relays.push(cmd(name, run, 2, hostPortFixup(proto), REQUEST | FAILURE));
  }

  relays.push(
    cmd('t_relay_to', (ctx) => engine(ctx).relay(ctx), 0, null, REQUEST | FAILURE),
    cmd('t_relay_to', (ctx, p: RelayToParam) => engine(ctx).relay(ctx, p.dst, p.flags), 1, relayToOne, REQUEST | FAILURE),
    cmd('t_relay_to', (ctx, dst: Destination, flags: number) => engine(ctx).relay(ctx, dst, flags), 2, relayToTwo, REQUEST | FAILURE),
  );

  const onRoute = (name: string, kind: 'failure' | 'onreply' | 'branch', label: string, field: keyof PendingHooks) =>
    cmd(name, (ctx, route: string) => {
      const t = engine(ctx).current(ctx);
      (t ?? pendingHooks(ctx))[field] = route;
      return 1;
    }, 1, routeName(kind, label), ANY);

  /** 0 keeps the current value, as in Kamailio. */
  const setFr = (ctx: RunCtx, frInv: number, fr = 0) => {
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
  };

  const branchWinner = (ctx: RunCtx) => {
    const t = engine(ctx).current(ctx);
    return t?.branches[t.pickedBranch];
  };

  return [
    ...relays,
    cmd('t_replicate', (ctx, uri: FParam) => {
      const u = uri.str(ctx);
      const dst = u === null ? null : uriDestination(u);
      return dst ? engine(ctx).replicate(ctx, dst) : -1;
    }, 1, fixup_spve_null, REQUEST),
    cmd('t_replicate', (ctx, host: FParam, port: HostPort) => {
      const dst = forcedDst(ctx, null, host, port);
      return dst ? engine(ctx).replicate(ctx, dst) : -1;
    }, 2, hostPortFixup(null), REQUEST),
    cmd('t_newtran', (ctx) => engine(ctx).newTransaction(ctx), 0, null, REQUEST),
    cmd('t_save_lumps', (ctx) => {
      const tm = engine(ctx);
      const t = tm.current(ctx);
      if (!t) return -1;
      tm.saveLumps(t);
      return 1;
    }, 0, null, REQUEST),
    cmd('t_reply', (ctx, code: FParam, reason: FParam) => {
      const tm = engine(ctx);
      const t = tm.current(ctx);
      const c = code.int(ctx);
      const r = reason.str(ctx);
      if (!t || c === null || c < 100 || c > 699 || r === null) return -1;
      return tm.replyLocal(t, c, r) ? 1 : -1;
    }, 2, fixup_spve_spve, REQUEST | FAILURE),
    cmd('t_check_trans', (ctx) => engine(ctx).checkTrans(ctx), 0, null, REQUEST | ONREPLY | BRANCH),
    cmd('t_lookup_request', (ctx) => (engine(ctx).lookup(ctx) ? 1 : -1), 0, null, REQUEST),
    cmd('t_lookup_cancel', (ctx) => (engine(ctx).lookupCancel(ctx) ? 1 : -1), 0, null, REQUEST),
    cmd('t_relay_cancel', (ctx) => engine(ctx).relayCancelOnly(ctx), 0, null, REQUEST),
    cmd('t_is_expired', (ctx) => {
      const tm = engine(ctx);
      const t = tm.current(ctx);
      return t && tm.isExpired(t) ? 1 : -1;
    }, 0, null, ANY),
    cmd('t_retransmit_reply', (ctx) => engine(ctx).retransmitReply(ctx), 0, null, REQUEST),
    cmd('t_release', (ctx) => engine(ctx).release(ctx), 0, null, REQUEST),
    onRoute('t_on_failure', 'failure', 'failure_route', 'onFailure'),
    onRoute('t_on_reply', 'onreply', 'onreply_route', 'onReply'),
    onRoute('t_on_branch', 'branch', 'branch_route', 'onBranch'),
    cmd('t_check_status', (ctx, re: RegExp) => {
      const s = statusOf(engine(ctx), ctx);
      return s > 0 && re.test(String(s)) ? 1 : -1;
    }, 1, fixup_regexp_null, ANY),
    cmd('t_is_canceled', (ctx) => (engine(ctx).current(ctx)?.canceled ? 1 : -1), 0, null, ANY),
    cmd('t_branch_timeout', (ctx) => {
      const b = branchWinner(ctx);
      return b && b.local && b.status === 408 ? 1 : -1;
    }, 0, null, FAILURE),
    cmd('t_branch_replied', (ctx) => {
      const b = branchWinner(ctx);
      return b?.replied ? 1 : -1;
    }, 0, null, FAILURE),
    cmd('t_any_timeout', (ctx) => (engine(ctx).current(ctx)?.branches.some((b) => b.local && b.status === 408) ? 1 : -1), 0, null, ANY),
    cmd('t_any_replied', (ctx) => (engine(ctx).current(ctx)?.branches.some((b) => b.replied) ? 1 : -1), 0, null, ANY),
    cmd('t_grep_status', (ctx, code: number) => (engine(ctx).current(ctx)?.branches.some((b) => b.status === code && !b.local) ? 1 : -1), 1, fixup_uint_null, ANY),
    ...[0, 1].map((n) => cmd('t_drop_replies', (ctx, mode?: string) => {
      const t = engine(ctx).current(ctx);
      if (!t) return -1;
      t.dropMode = mode === 'l' ? 'l' : mode === 'n' ? 'n' : 'a';
      return 1;
    }, n, n ? fixup_str_null : null, FAILURE)),
    cmd('t_set_fr', (ctx, frInv: number) => setFr(ctx, frInv), 1, fixup_uint_null, TUNING),
    cmd('t_set_fr', setFr, 2, fixup_uint_uint, TUNING),
    cmd('t_reset_fr', (ctx) => {
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
    }, 0, null, TUNING),
    cmd('t_set_retr', (ctx, t1: number, t2: number) => {
      const t = engine(ctx).current(ctx);
      const target = t ? t.timers : pending(ctx);
      if (t1) target.t1 = t1;
      if (t2) target.t2 = t2;
      return 1;
    }, 2, fixup_uint_uint, TUNING),
    cmd('t_reset_retr', (ctx) => {
      const tm = engine(ctx);
      const t = tm.current(ctx);
      if (t) {
        t.timers.t1 = tm.cfg.t1;
        t.timers.t2 = tm.cfg.t2;
      } else {
        const p = pending(ctx);
        delete p.t1;
        delete p.t2;
      }
      return 1;
    }, 0, null, TUNING),
    cmd('t_set_max_lifetime', (ctx, inv: number, noninv: number) => {
      const tm = engine(ctx);
      const t = tm.current(ctx);
      if (!t) {
        const p = pending(ctx);
        if (inv) p.maxInvLifetime = inv;
        if (noninv) p.maxNoninvLifetime = noninv;
      } else {
        const ms = t.isInvite ? inv : noninv;
        if (ms) tm.setMaxLifetime(t, ms);
      }
      return 1;
    }, 2, fixup_uint_uint, TUNING),
    cmd('t_reset_max_lifetime', (ctx) => {
      const tm = engine(ctx);
      const t = tm.current(ctx);
      if (t) tm.setMaxLifetime(t, t.isInvite ? tm.cfg.maxInvLifetime : tm.cfg.maxNoninvLifetime);
      else {
        const p = pending(ctx);
        delete p.maxInvLifetime;
        delete p.maxNoninvLifetime;
      }
      return 1;
    }, 0, null, TUNING),
    cmd('t_set_auto_inv_100', (ctx, on: number) => {
      const t = engine(ctx).current(ctx);
      if (t) t.autoInv100 = on !== 0;
      else pending(ctx).autoInv100 = on !== 0;
      return 1;
    }, 1, fixup_uint_null, TUNING),
    cmd('t_set_disable_6xx', (ctx, on: number) => {
      const t = engine(ctx).current(ctx);
      if (!t) return -1;
      t.disable6xx = on !== 0;
      return 1;
    }, 1, fixup_uint_null, TUNING),
    cmd('t_load_contacts', (ctx) => loadContacts(ctx, engine(ctx).current(ctx)), 0, null, REQUEST | FAILURE),
    cmd('t_next_contacts', (ctx) => {
      const tm = engine(ctx);
      const t = tm.current(ctx);
      const r = nextContacts(ctx, t);
      // later serial steps run on fr_inv_timer_next
      if (r > 0 && t && ctx.routeType === FAILURE) t.timers.frInvTimer = tm.cfg.frInvTimerNext;
      return r;
    }, 0, null, REQUEST | FAILURE),
    cmd('t_suspend', (ctx) => (engine(ctx).suspend(ctx) ? 1 : -1), 0, null, REQUEST | FAILURE),
    cmd('t_continue', (ctx, index: FParam, label: FParam, route: string) => {
      const h = index.int(ctx);
      const l = label.int(ctx);
      if (h === null || l === null) return -1;
      return engine(ctx).resume(h, l, route);
    }, 3, (value, paramNo, site) => (paramNo === 3 ? routeName('request', 'route', 3)(value, paramNo, site) : fixup_spve_null(value, 1, site)), ANY | EVENT),
  ];
}
