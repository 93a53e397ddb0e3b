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
        const v = rest.length === 2 ? store.get(String(rest[0]), String(rest[1])) : undefined;
        return v === undefined ? null : String(v.value);
      },
    });
  }
  return s;
}
