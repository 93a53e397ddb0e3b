/**
 * tm: the stateful transaction layer (Kamailio 3.0 modules/tm), a ser-style module. One Tm
 * engine per Core; other modules (tmx, ...) reach it through the API export: api.tm(core).
 */
import { RouteType, SiprError, ErrorCode, type Core, type RunCtx } from '@sipr/core';
import { defineSerModule, PARAM_INT, PARAM_STRING, PARAM_USE_FUNC, type ParamEntry } from '@sipr/compat';
import { Tm } from './tm';
import { PARAMS } from './config';
import { tmCmds } from './functions';
import { tmRpc } from './rpc';
import { sipWire } from './sip-wire';

const engines = new WeakMap<Core, Tm>();
/** modparams as written; applied at init, when the config's final #!KAMAILIO/#!SER mode is known. */
const pendingParams = new WeakMap<Core, Array<[string, number | string]>>();
/**
 * modparam and RPC callbacks carry no core: they act on the core tm was last registered on
 * (modparams are applied right after register, one core at a time; one core per process).
 */
let lastCore: Core | null = null;

/** The engine of a core (created when the module is registered on it). */
export function tmOf(core: Core): Tm {
  const tm = engines.get(core);
  if (!tm) throw new SiprError(ErrorCode.MODULE_INIT, 'tm is not loaded');
  return tm;
}

const engine = (ctx: RunCtx) => tmOf(ctx.core);

const params: ParamEntry[] = Object.entries(PARAMS).map(([name, p]) => [
  name,
  (p.type === 'int' ? PARAM_INT : PARAM_STRING) | PARAM_USE_FUNC,
  (_type: number, value: number | string) => {
    const core = lastCore!;
    // checked now (the error points at the modparam line), applied at init
    p.set(tmOf(core).cfg, value, 'all');
    pendingParams.get(core)!.push([name, value]);
  },
]);

export default defineSerModule({
  name: 'tm',
  version: '0.1.0',
  cmds: tmCmds(engine),
  params,
  rpc_methods: tmRpc(() => tmOf(lastCore!)).map((r) => ({ name: r.name, function: r.handler, doc: r.doc })),
  register(core: Core) {
    lastCore = core;
    engines.set(core, new Tm(core, sipWire));
    pendingParams.set(core, []);
    core.hooks.postScript.tap('tm', (ctx) => {
      if (ctx.routeType === RouteType.REQUEST) tmOf(ctx.core).afterScript(ctx);
    });
  },
  init(core: Core) {
    const tm = tmOf(core);
    for (const [name, value] of pendingParams.get(core) ?? []) PARAMS[name].set(tm.cfg, value, core.compatMode);
  },
  destroy(core: Core) {
    const tm = engines.get(core);
    if (tm) for (const t of [...tm.table.all()]) t.stopTimers();
  },
  response: (ctx: RunCtx) => tmOf(ctx.core).onReply(ctx),
  api: { tm: tmOf },
});

export { Tm } from './tm';
export { Transaction, UacBranch } from './cell';
export { currentTransaction, SLOT_BRANCH } from './ctx';
export type { TmWire } from './wire';
export { replyPriority } from './select';
