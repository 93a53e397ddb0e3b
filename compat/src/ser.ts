/**
 * The ser-style (SER, interface v0) module shape: commands have five fields (name, function,
 * param_no, fixup, flags), RPCs are part of the exports, fixups are the fparam family.
 */
import type { Core, ModuleDescriptor, RunCtx, SelectExport } from '@sipr/core';
import { toFunction, toParams, toRpc, checked, type CmdObject, type ParamEntry, type RpcEntry, type ShapeFunction } from './exports';
import type { ShapeFixup } from './fixups';

export type SerCmd = [name: string, fn: ShapeFunction, param_no: number, fixup: ShapeFixup | null, flags: number] | CmdObject;

export interface SerModule {
  name: string;
  version?: string;
  cmds?: readonly SerCmd[];
  rpc_methods?: readonly RpcEntry[];
  params?: readonly ParamEntry[];
  selects?: readonly SelectExport[];
  /** mod_register: right after load, before modparams */
  register?: (core: Core) => unknown;
  init?: (core: Core) => unknown;
  init_child?: (rank: number, core: Core) => unknown;
  destroy?: (core: Core) => unknown;
  /** every received reply; return 0 to consume it */
  response?: (ctx: RunCtx) => number;
  /** when a top-level script run ended with result 0 */
  onbreak?: (ctx: RunCtx) => void;
  apply?: (core: Core) => void;
  api?: Record<string, unknown>;
}

export function defineSerModule<M extends SerModule>(m: M): M {
  return m;
}

function cmdObject(c: SerCmd): CmdObject {
  if (!Array.isArray(c)) return c;
  const [name, fn, param_no, fixup, flags] = c;
  return { name, function: fn, param_no, fixup, flags };
}

export function adaptSer(m: SerModule): ModuleDescriptor {
  const onbreak = m.onbreak;
  return {
    name: m.name,
    version: m.version ?? '0.0.0',
    interface: 'ser',
    functions: (m.cmds ?? []).map((c) => toFunction(m.name, cmdObject(c))),
    params: toParams(m.params),
    rpc: toRpc(m.rpc_methods),
    pvs: [],
    selects: m.selects ?? [],
    stats: [],
    mi: [],
    api: m.api,
    register: m.register || m.apply || onbreak
      ? (core) => {
          m.apply?.(core);
          if (onbreak) core.hooks.postScript.tap(m.name, (ctx) => { if (ctx.rc === 0) onbreak(ctx); });
          const r = m.register?.(core);
          if (typeof r === 'number' && r < 0) throw new Error(`register returned ${r}`);
        }
      : undefined,
    init: checked('init', m.init),
    childInit: checked('init_child', m.init_child),
    destroy: checked('destroy', m.destroy),
    onReply: m.response,
  };
}
