/** PVs that read other registries: $sel (selects), $stat (module statistics), $cnt (value counts). */
import type { Core, PvClassDef, PvSpec, RunCtx } from '@sipr/core';

/** The core, once the module is registered (classes are parsed only after that). */
export interface State {
  core: Core | null;
}

export function selClass(state: State): PvClassDef {
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
export const cntClass: PvClassDef = {
  name: 'cnt',
  inner: 'required',
  parseInner(inner: string, reg) {
    const spec = reg.parse(inner.trim());
    if (!spec.countable) throw new Error(`${spec.text} cannot be counted ($cnt takes $avp(...) or $xavp(...))`);
    return spec;
  },
  get: (ctx, spec: PvSpec) => spec.count!(ctx),
};

export function statClass(state: State): PvClassDef {
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

