/**
 * The kamailio-style (OpenSER, interface v1) module shape: the C `module_exports` table in
 * TypeScript. Commands have six fields: name, function, param_no, fixup, free_fixup, flags.
 */
import type { Core, ModuleDescriptor, MiExport, PvClassDef, RunCtx } from '@sipr/core';
import { toFunction, toParams, toStats, toRpc, checked, type CmdObject, type ParamEntry, type ShapeFunction, type StatEntry, type RpcEntry } from './exports';
import type { ShapeFixup } from './fixups';

export type KamailioCmd =
  | [name: string, fn: ShapeFunction, param_no: number, fixup: ShapeFixup | null, free_fixup: ShapeFixup | null, flags: number]
  | (CmdObject & { free_fixup?: ShapeFixup | null });

export type MiEntry = [name: string, fn: (args: string[]) => unknown, flags?: number] | { name: string; cmd: (args: string[]) => unknown; flags?: number };

/**
 * An extra process (Kamailio forks `count` of them). sipr starts no process for it: `function(i)`
 * runs `count` times (i = 1..count) in SIP worker 1, which exists with one process or many, and
 * must return (set up timers or async work) instead of looping.
 */
export interface ProcEntry {
  name: string;
  function: (rank: number, core: Core) => void;
  count?: number;
}

export interface KamailioModule {
  name: string;
  version?: string;
  cmds?: readonly KamailioCmd[];
  params?: readonly ParamEntry[];
  /** PV classes, registered under their names when the module loads */
  items?: readonly PvClassDef[];
  stats?: readonly StatEntry[];
  mi_cmds?: readonly MiEntry[];
  /** Kamailio-style modules register RPCs themselves in C (rpc_register_array); here they list them */
  rpc_methods?: readonly RpcEntry[];
  procs?: readonly ProcEntry[];
  /** mod_register: right after load, before modparams */
  register?: (core: Core) => unknown;
  init?: (core: Core) => unknown;
  child_init?: (rank: number, core: Core) => unknown;
  destroy?: (core: Core) => unknown;
  /** response_f: every received reply; return 0 to consume it */
  response?: (ctx: RunCtx) => number;
  /** the native part: tap core hooks directly (runs with register) */
  apply?: (core: Core) => void;
  /** typed services for other modules (core.modules.findExport) */
  api?: Record<string, unknown>;
}

/** Identity with type checking: `export default defineKamailioModule({ ... })`. */
export function defineKamailioModule<M extends KamailioModule>(m: M): M {
  return m;
}

function cmdObject(c: KamailioCmd): CmdObject {
  if (!Array.isArray(c)) return c;
  const [name, fn, param_no, fixup, , flags] = c;
  return { name, function: fn, param_no, fixup, flags };
}

function mi(entries: readonly MiEntry[] = []): MiExport[] {
  return entries.map((e) => (Array.isArray(e) ? { name: e[0], handler: e[1] } : { name: e.name, handler: e.cmd }));
}

export function adaptKamailio(m: KamailioModule): ModuleDescriptor {
  const procs = m.procs ?? [];
  const childInit = checked('child_init', m.child_init);
  return {
    name: m.name,
    version: m.version ?? '0.0.0',
    interface: 'kamailio',
    functions: (m.cmds ?? []).map((c) => toFunction(m.name, cmdObject(c))),
    params: toParams(m.params),
    rpc: toRpc(m.rpc_methods),
    pvs: m.items ?? [],
    selects: [],
    stats: toStats(m.stats),
    mi: mi(m.mi_cmds),
    api: m.api,
    register: m.register || m.apply
      ? (core) => {
          m.apply?.(core);
          const r = m.register?.(core);
          if (typeof r === 'number' && r < 0) throw new Error(`register returned ${r}`);
        }
      : undefined,
    init: checked('init', m.init),
    childInit: childInit || procs.length
      ? async (rank, core) => {
          await childInit?.(rank, core);
          if (rank !== 1) return;
          for (const p of procs) for (let i = 0; i < (p.count ?? 1); i++) p.function(i + 1, core);
        }
      : undefined,
    destroy: checked('destroy', m.destroy),
    onReply: m.response,
  };
}
