/**
 * tm: the stateful transaction layer (Kamailio 3.0 modules/tm). One Tm engine per Core; other
 * modules (tmx, dialog-like ones) reach it through the `tm` API export: api.tm(core).
 */
import { RouteType, SiprError, ErrorCode, type Core, type ModuleDescriptor, type RunCtx } from '@sipr/core';
import { Tm } from './tm';
import { PARAMS } from './config';
import { tmFunctions } from './functions';
import { tmRpc } from './rpc';
import { sipWire } from './sip-wire';

const engines = new WeakMap<Core, Tm>();
/** modparams as written; applied at init when the final #!KAMAILIO/#!SER mode is known. */
const pendingParams = new WeakMap<Core, Array<[string, number | string]>>();
let lastCore: Core | null = null;

/** The engine of a core (created when the module is registered on it). */
export function tmOf(core: Core): Tm {
  const tm = engines.get(core);
  if (!tm) throw new SiprError(ErrorCode.MODULE_INIT, 'tm is not loaded');
  return tm;
}

const engine = (ctx: RunCtx) => tmOf(ctx.core);

const descriptor: ModuleDescriptor = {
  name: 'tm',
  version: '0.1.0',
  interface: 'native',
  functions: tmFunctions(engine),
  params: Object.entries(PARAMS).map(([name, p]) => ({
    name,
    type: p.type,
    set: (value: number | string) => {
      // check the value now (errors point at the modparam line); apply it at init
      const core = lastCore!;
      p.set(tmOf(core).cfg, value, 'all');
      pendingParams.get(core)!.push([name, value]);
    },
  })),
  rpc: tmRpc(() => tmOf(lastCore!)),
  pvs: [],
  selects: [],
  stats: [],
  mi: [],
  register(core) {
    lastCore = core;
    engines.set(core, new Tm(core, sipWire));
    pendingParams.set(core, []);
    core.hooks.postScript.tap('tm', (ctx) => {
      if (ctx.routeType === RouteType.REQUEST) tmOf(ctx.core).afterScript(ctx);
    });
  },
  init(core) {
    const tm = tmOf(core);
    for (const [name, value] of pendingParams.get(core) ?? []) PARAMS[name].set(tm.cfg, value, core.compatMode);
  },
  destroy(core) {
    const tm = engines.get(core);
    if (tm) for (const t of [...tm.table.all()]) t.stopTimers();
  },
  onReply: (ctx) => tmOf(ctx.core).onReply(ctx),
  api: { tm: tmOf },
};

export default descriptor;
export { Tm } from './tm';
export { Transaction, UacBranch } from './cell';
export { currentTransaction, SLOT_BRANCH } from './ctx';
export type { TmWire } from './wire';
export { replyPriority } from './select';
