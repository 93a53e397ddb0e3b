// Placeholder so the workspace compiles while the platform helper writes the real ModuleRegistry this session.
import type { Core } from '../core';

export class ModuleRegistry {
  constructor(readonly core: Core) {}
}
