import { adaptKamailio } from '@sipr/compat';
import { createPvModule } from '../src';
import { newCore, newCtx, sipMsg, INVITE } from '../../../core/test/pv/helpers';

export { sipMsg, INVITE, newCtx };

/** A core in #!KAMAILIO mode with a fresh pv module registered. */
export function pvCore(mode: 'kamailio' | 'ser' | 'all' = 'kamailio') {
  const core = newCore(mode);
  const mod = createPvModule();
  core.modules.registerDescriptor(adaptKamailio(mod));
  return { core, mod };
}
