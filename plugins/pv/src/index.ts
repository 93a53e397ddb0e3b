/**
 * The `pv` module: Kamailio 3.0's pseudo-variables. The core parses `$...` through its registry;
 * this module contributes the classes (message PVs, $var, $shv, $avp, $xavp, $hdr, $sel, ...).
 */
import {
  AvpAliases, avpClass, xavpClass,
  type Core, type PvClassDef, type PvSpec, type RpcContext, type RunCtx,
} from '@sipr/core';
import { defineKamailioModule, fixup_pvar_null, ANY_ROUTE, PARAM_STRING, PARAM_USE_FUNC, type KamailioModule } from '@sipr/compat';
import { uriPvs } from './uri-pvs';
import { headerPvs } from './header-pvs';
import { hdrClass, hdrcClass } from './hdr';
import { miscPvs } from './misc-pvs';
import { timePvs } from './time-pvs';
import { dsetPvs } from './dset-pvs';
import { VarStore, varClass, type VarValue } from './vars';

export { VarStore } from './vars';

interface State {
  core: Core | null;
}

function selClass(state: State): PvClassDef {
  return {
    name: 'sel',
    inner: 'required',
    parseInner(inner: string) {
      if (!state.core) throw new Error('$sel needs the pv module to be registered');
      return state.core.selects.parse(inner.trim());
    },
    get: (ctx, sel: { get(ctx: RunCtx): string | null }) => sel.get(ctx),
  };
}

/** `$cnt($avp(x))`, `$cnt($xavp(a=>b))`: how many values (later Kamailio releases). */
const cntClass: PvClassDef = {
  name: 'cnt',
  inner: 'required',
  parseInner(inner: string, reg) {
    const spec = reg.parse(inner.trim());
    if (!spec.countable) throw new Error(`${spec.text} cannot be counted ($cnt takes $avp(...) or $xavp(...))`);
    return spec;
  },
  get: (ctx, spec: PvSpec) => spec.count!(ctx),
};

function statClass(state: State): PvClassDef {
  return {
    name: 'stat',
    inner: 'required',
    get(_ctx, name: string) {
      for (const m of state.core?.modules.list() ?? []) {
        const st = m.descriptor.stats.find((s) => s.name === name);
        if (st?.get) return st.get();
      }
      return null;
    },
  };
}

/** One variable as kamailio's pv.shvGet prints it. */
function rpcVar(store: VarStore, name: string): { name: string; type: 'int' | 'string'; value: VarValue } {
  const value = store.get(name);
  return { name, type: typeof value === 'number' ? 'int' : 'string', value };
}

/** A fresh module instance (tests build several cores in one process). */
export function createPvModule(): KamailioModule {
  const state: State = { core: null };
  const vars = new VarStore();
  const shvs = new VarStore();
  const aliases = new AvpAliases();
  const items: PvClassDef[] = [
    ...uriPvs,
    ...headerPvs,
    ...miscPvs(),
    ...timePvs,
    ...dsetPvs,
    hdrClass,
    hdrcClass,
    avpClass(aliases),
    xavpClass,
    varClass('var', vars),
    varClass('shv', shvs),
    selClass(state),
    statClass(state),
    cntClass,
  ];
  const param = (apply: (v: string) => void) => (_type: number, v: string) => {
    apply(String(v));
  };
  return defineKamailioModule({
    name: 'pv',
    version: '0.1.0',
    items,
    params: [
      ['varset', PARAM_STRING | PARAM_USE_FUNC, param((v) => vars.setFromParam(v))],
      ['shvset', PARAM_STRING | PARAM_USE_FUNC, param((v) => shvs.setFromParam(v))],
      ['avp_aliases', PARAM_STRING | PARAM_USE_FUNC, param((v) => aliases.add(v))],
    ],
    cmds: [
      ['pv_isset', (ctx: RunCtx, pv: PvSpec) => (pv.get(ctx) === null ? -1 : 1), 1, fixup_pvar_null, null, ANY_ROUTE],
      ['pv_unset', (ctx: RunCtx, pv: PvSpec) => {
        if (pv.writable) pv.set(ctx, null);
        return 1;
      }, 1, fixup_pvar_null, null, ANY_ROUTE],
      ['is_int', (ctx: RunCtx, pv: PvSpec) => (typeof pv.get(ctx) === 'number' ? 1 : -1), 1, fixup_pvar_null, null, ANY_ROUTE],
    ],
    rpc_methods: [
      {
        name: 'pv.shvGet',
        doc: 'Value of a shared variable ($shv), or of all of them without a name',
        function: (rpc: RpcContext) => shvGet(shvs, rpc),
      },
      {
        name: 'pv.shvSet',
        doc: 'Set a shared variable: name, type (int|str), value',
        function: (rpc: RpcContext) => shvSet(shvs, rpc),
      },
    ],
    register(core: Core) {
      state.core = core;
    },
  });
}

function shvGet(shvs: VarStore, rpc: RpcContext): void {
  const name = rpc.params[0];
  if (name === undefined) {
    for (const n of shvs.values.keys()) rpc.add(rpcVar(shvs, n));
    return;
  }
  if (!shvs.values.has(String(name))) return rpc.fault(404, 'Variable not found');
  rpc.add(rpcVar(shvs, String(name)));
}

/** Only variables that exist (from shvset or the script) can be set, as in kamailio. */
function shvSet(shvs: VarStore, rpc: RpcContext): void {
  const [name, type, value] = rpc.params;
  if (typeof name !== 'string' || value === undefined) return rpc.fault(400, 'usage: pv.shvSet name int|str value');
  if (type !== 'int' && type !== 'str') return rpc.fault(500, 'Unknown parameter type (Types: int or str)');
  if (!shvs.values.has(name)) return rpc.fault(404, 'Variable not found');
  if (type === 'int') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n)) return rpc.fault(400, `'${value}' is not an integer`);
    shvs.values.set(name, n);
  } else shvs.values.set(name, String(value));
  rpc.add('Ok. Variable set to new value.');
}

export default createPvModule();
