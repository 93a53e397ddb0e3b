/**
 * Script-declared runtime config variables (`group.name = value desc "text"`), readable with
 * `@cfg_get.group.name` / `$sel(cfg_get.group.name)`. Values keep their declared type.
 */
import type { Core } from '../core';
import { ErrorCode, SiprError } from '../errors';

export interface CfgVar {
  readonly group: string;
  readonly name: string;
  value: string | number;
  readonly desc: string;
}

export class CfgStore {
  private readonly vars = new Map<string, CfgVar>();

  declare(group: string, name: string, value: string | number, desc: string): void {
    const key = `${group}.${name}`;
    if (this.vars.has(key)) throw new SiprError(ErrorCode.CONFIG_SEMANTIC, `cfg variable ${key} is declared twice`);
    if (typeof value === 'number' && value < 0) throw new SiprError(ErrorCode.CONFIG_SEMANTIC, `cfg variable ${key}: negative values are not allowed`);
    this.vars.set(key, { group, name, value, desc });
  }

  get(group: string, name: string): CfgVar | undefined {
    return this.vars.get(`${group}.${name}`);
  }

  /** Runtime change (cfg.set RPC); the type must stay the same. */
  set(group: string, name: string, value: string | number): void {
    const v = this.get(group, name);
    if (!v) throw new SiprError(ErrorCode.CONFIG_SEMANTIC, `unknown cfg variable ${group}.${name}`);
    if (typeof v.value !== typeof value) throw new SiprError(ErrorCode.CONFIG_SEMANTIC, `cfg variable ${group}.${name} is ${typeof v.value === 'number' ? 'an int' : 'a string'}`);
    v.value = value;
  }

  list(): readonly CfgVar[] {
    return [...this.vars.values()];
  }
}

const stores = new WeakMap<Core, CfgStore>();

/** The `core` group: the global parameters (debug is the live log level). */
function coreValue(core: Core, name: string): string | null {
  if (name === 'debug') return String(core.log.level);
  const v = core.globals.get(name);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return typeof v === 'string' ? v : null;
}

/** The store of a core; the `cfg_get` select is registered with it. */
export function cfgStore(core: Core): CfgStore {
  let s = stores.get(core);
  if (!s) {
    const store = new CfgStore();
    s = store;
    stores.set(core, store);
    core.selects.register({
      path: ['cfg_get'],
      handler: (_ctx, rest) => {
        if (rest.length !== 2) return null;
        const group = String(rest[0]);
        const name = String(rest[1]);
        const v = store.get(group, name);
        if (v !== undefined) return String(v.value);
        return group === 'core' ? coreValue(core, name) : null;
      },
    });
  }
  return s;
}
