/** Names declared with `flags NAME: n` (and `avpflags`), for module fixups that accept flag names. */
import type { Core } from '../core';

interface Declared {
  readonly flags: ReadonlyMap<string, number>;
  readonly avpflags: ReadonlyMap<string, number>;
}

const byCore = new WeakMap<Core, Declared>();

export function setDeclaredFlags(core: Core, flags: ReadonlyMap<string, number>, avpflags: ReadonlyMap<string, number>): void {
  byCore.set(core, { flags, avpflags });
}

/** The bit of a flag declared in the config, or undefined. */
export function flagByName(core: Core, name: string): number | undefined {
  return byCore.get(core)?.flags.get(name);
}

/** The bit of an AVP flag declared with `avpflags`, or undefined. */
export function avpFlagByName(core: Core, name: string): number | undefined {
  return byCore.get(core)?.avpflags.get(name);
}
