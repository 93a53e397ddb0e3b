// Placeholder so the workspace compiles while the pv helper writes the real PvRegistry this session.
import type { Core } from '../core';

export class PvRegistry {
  constructor(readonly core: Core) {}
}
