/** The PVs the core itself provides: the last return code. */
import type { PvClassDef, PvRegistryApi } from './types';

function retcode(name: string): PvClassDef {
  return { name, inner: 'none', get: (ctx) => ctx.rc };
}

export function registerCoreClasses(reg: PvRegistryApi): void {
  for (const n of ['?', 'rc', 'retcode']) reg.registerClass(retcode(n));
}
