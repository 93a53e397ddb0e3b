/**
 * The `pv` module: Kamailio 3.0's pseudo-variables. The core parses `$...` through its registry;
 * this module contributes the classes (message PVs, $var, $shv, $avp, $xavp, $hdr, $sel, ...).
 */
import { AvpAliases, avpClass, xavpClass, type Core, type PvClassDef, type PvSpec, type RpcContext, type RunCtx } from '@sipr/core';
import { defineKamailioModule, fixup_pvar_null, ANY_ROUTE, PARAM_STRING, PARAM_USE_FUNC, type KamailioModule } from '@sipr/compat';
import { uriPvs } from './uri-pvs';
import { headerPvs } from './header-pvs';
import { hdrClass, hdrcClass } from './hdr';
import { miscPvs } from './misc-pvs';
import { timePvs } from './time-pvs';
import { dsetPvs } from './dset-pvs';
import { VarStore, varClass } from './vars';
import { cntClass, selClass, statClass, type State } from './registry-pvs';
import { shvGet, shvSet } from './rpc';

export { VarStore } from './vars';

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

export default createPvModule();
