/**
 * Installs the shape adapters on a core: the loader asks hooks.adaptModule.for(interface) to turn
 * a module's export into a descriptor.
 */
import type { AdaptRequest, Core } from '@sipr/core';
import { adaptKamailio, type KamailioModule } from './kamailio';
import { adaptSer, type SerModule } from './ser';

function shaped<M>(req: AdaptRequest): M {
  const e = req.exported as { name?: unknown } | null;
  if (!e || typeof e !== 'object' || typeof e.name !== 'string') throw new Error('the module export is not a module definition (no name)');
  return e as M;
}

export function apply(core: Core): void {
  if (core.hooks.adaptModule.get('kamailio')?.isUsed()) return;
  core.hooks.adaptModule.for('kamailio').tap('compat', (req) => adaptKamailio(shaped<KamailioModule>(req)));
  core.hooks.adaptModule.for('ser').tap('compat', (req) => adaptSer(shaped<SerModule>(req)));
}
