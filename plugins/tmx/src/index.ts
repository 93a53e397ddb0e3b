/**
 * tmx: Kamailio's tm extensions (kamailio-style module) — $T_* pseudo-variables,
 * t_cancel_branches() and the transaction statistics. Works on the engine tm exports as its
 * `tm` API.
 */
import { RouteType, SiprError, ErrorCode, type Core, type RunCtx } from '@sipr/core';
import { defineKamailioModule, STAT_IS_FUNC, STAT_NO_RESET, type StatEntry } from '@sipr/compat';
import type { Tm } from '@sipr/tm';
import { tmxPvs } from './pvs';

const engineOf = new WeakMap<Core, Tm>();

function engine(ctx: RunCtx): Tm {
  const tm = engineOf.get(ctx.core);
  if (!tm) throw new SiprError(ErrorCode.MODULE_INIT, 'tmx: tm is not loaded');
  return tm;
}

/** Statistics carry no core: they read the engine of the core tmx was last initialised on (one per process). */
let statTm: Tm | null = null;
const stat = (name: string, get: (tm: Tm) => number, flags = 0): StatEntry =>
  [name, STAT_IS_FUNC | flags, () => (statTm ? get(statTm) : 0)];

function cancelBranches(ctx: RunCtx, what: string): number {
  const tm = engine(ctx);
  const t = tm.current(ctx);
  const idx = tm.replyBranch(ctx);
  if (!t || idx < 0) return -1;
  const final = ctx.msg.status >= 200;
  if (what === 'this') {
    if (!final) tm.cancelBranch(t, t.branches[idx]);
  } else {
    // on a final reply "all" keeps the replying branch, as "others" does
    tm.cancelPending(t, what === 'others' || final ? idx : -1);
  }
  return 1;
}

export default defineKamailioModule({
  name: 'tmx',
  version: '0.1.0',
  cmds: [
    ['t_cancel_branches', cancelBranches, 1, (value: string | null, paramNo: number) => {
      if (paramNo === 1 && value !== 'all' && value !== 'others' && value !== 'this') throw new Error(`"${value}" is not all, others or this`);
      return value;
    }, null, RouteType.ONREPLY],
  ],
  items: tmxPvs(engine),
  stats: [
    stat('received_replies', (tm) => tm.stats.receivedReplies),
    stat('relayed_replies', (tm) => tm.stats.relayedReplies),
    stat('local_replies', (tm) => tm.stats.localReplies),
    stat('UAS_transactions', (tm) => tm.stats.uasTransactions),
    stat('UAC_transactions', (tm) => tm.stats.uacTransactions),
    stat('2xx_transactions', (tm) => tm.stats.replied2xx),
    stat('3xx_transactions', (tm) => tm.stats.replied3xx),
    stat('4xx_transactions', (tm) => tm.stats.replied4xx),
    stat('5xx_transactions', (tm) => tm.stats.replied5xx),
    stat('6xx_transactions', (tm) => tm.stats.replied6xx),
    stat('inuse_transactions', (tm) => tm.table.size, STAT_NO_RESET),
    stat('active_transactions', (tm) => { let n = 0; for (const t of tm.table.all()) if (!t.completed) n++; return n; }, STAT_NO_RESET),
  ],
  init(core: Core) {
    const tmOf = core.modules.findExport<(c: Core) => Tm>('tm', 'tm');
    if (!tmOf) throw new SiprError(ErrorCode.MODULE_INIT, 'tmx needs the tm module: loadmodule "tm" before "tmx"');
    const tm = tmOf(core);
    engineOf.set(core, tm);
    statTm = tm;
  },
});
