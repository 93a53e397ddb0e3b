/**
 * Native modules may leave export lists out; the registry works with complete descriptors so the
 * rest of the core never checks for missing arrays.
 */
import { SiprError, ErrorCode } from '../errors';
import type { ModuleDescriptor } from './types';
import type { Core } from '../core';

export type PartialDescriptor = Partial<ModuleDescriptor> & Pick<ModuleDescriptor, 'name'>;

/** A native module's export: a descriptor, optionally with a tapable-style `apply(core)` part. */
export type NativeExport = PartialDescriptor & { apply?: (core: Core) => void };

/** `apply(core)` runs where register does (right after load), before the module's own register. */
export function nativeDescriptor(e: NativeExport): ModuleDescriptor {
  const { apply, ...rest } = e;
  if (typeof apply !== 'function') return completeDescriptor(rest);
  const register = rest.register;
  return completeDescriptor({ ...rest, register: (core) => { apply(core); register?.(core); } });
}

export function completeDescriptor(d: PartialDescriptor, iface: ModuleDescriptor['interface'] = 'native'): ModuleDescriptor {
  if (!d || typeof d !== 'object' || typeof d.name !== 'string' || d.name === '') {
    throw new SiprError(ErrorCode.MODULE_MANIFEST, 'module export has no name');
  }
  return {
    ...d,
    name: d.name,
    version: d.version ?? '0.0.0',
    interface: d.interface ?? iface,
    functions: d.functions ?? [],
    params: d.params ?? [],
    rpc: d.rpc ?? [],
    pvs: d.pvs ?? [],
    selects: d.selects ?? [],
    stats: d.stats ?? [],
    mi: d.mi ?? [],
  };
}
