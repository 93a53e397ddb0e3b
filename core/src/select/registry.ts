// Placeholder so the workspace compiles while the pv helper writes the real SelectRegistry this session.
import type { Core } from '../core';

export class SelectRegistry {
  constructor(readonly core: Core) {}
}
