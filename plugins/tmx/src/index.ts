/**
 * tmx: Kamailio's tm extensions — $T_* pseudo-variables, t_cancel_branches() and the transaction
 * statistics. Works on the engine tm exports as its `tm` API.
 */
import { RouteType, SiprError, ErrorCode, type Core, type ModuleDescriptor, type RunCtx, type StatExport } from '@sipr/core';
import type { Tm } from '@sipr/tm';
import { tmxPvs } from './pvs';

const engineOf = new WeakMap<Core, Tm>();

function engine(ctx: RunCtx): Tm {
  const tm = engineOf.get(ctx.core);
  if (!tm) throw new SiprError(ErrorCode.MODULE_INIT, 'tmx: tm is not loaded');
  return tm;
}

let statCore: Core | null = null;
/** Statistics read the engine of the core tmx was last registered on (one per process). */
function stat(name: string, get: (tm: Tm) => number, noReset = false): StatExport {
  return {
    name,
    noReset,
    get: () => {
      const tm = statCore && engineOf.get(statCore);
      return tm ? get(tm) : 0;
    },
  };
}

const descriptor: ModuleDescriptor = {
  name: 'tmx',
  version: '0.1.0',
  interface: 'native',
  functions: [
    {
      name: 't_cancel_branches',
      arity: 1,
      allowed: RouteType.ONREPLY,
      fixup: (params) => {
        const what = String(params[0].value);
        if (what !== 'all' && what !== 'others' && what !== 'this') {
          throw new SiprError(ErrorCode.FIXUP, `t_cancel_branches: "${what}" is not all, others or this`, params[0].pos);
        }
        return [what];
      },
      impl: (ctx, what: 'all' | 'others' | 'this') => {
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
      },
    },
  ],
  params: [],
  rpc: [],
  pvs: tmxPvs(engine),
  selects: [],
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
    stat('inuse_transactions', (tm) => tm.table.size, true),
    stat('active_transactions', (tm) => { let n = 0; for (const t of tm.table.all()) if (!t.completed) n++; return n; }, true),
  ],
  mi: [],
  register(core) {
    statCore = core;
  },
  init(core) {
    const tmOf = core.modules.findExport<(c: Core) => Tm>('tm', 'tm');
    if (!tmOf) throw new SiprError(ErrorCode.MODULE_INIT, 'tmx needs the tm module: loadmodule "tm" before "tmx"');
    engineOf.set(core, tmOf(core));
  },
};

export default descriptor;
