/** Per-message rr state and the module settings. */
import type { Change, ChangeText, SipMessage } from '@sipr/core';

export const settings = { enableFullLr: 0, appendFromtag: 0, enableDoubleRr: 1, addUsername: 0 };

export function resetSettings(): void {
  Object.assign(settings, { enableFullLr: 0, appendFromtag: 0, enableDoubleRr: 1, addUsername: 0 });
}

export interface RecordState {
  /** add_rr_param() text, appended to every Record-Route URI of this request */
  params: string;
  /** the inserted Record-Route change and how to build it again */
  change?: Change;
  build?: (params: string) => ChangeText;
}

export const recorded = new WeakMap<SipMessage, RecordState>();

/** Parameters of the Route URI loose_route() consumed for this message (check_route_param, is_direction). */
export const routedParams = new WeakMap<SipMessage, string>();

/** Callbacks other modules register (Kamailio's register_rrcb): run when loose_route() used our params. */
export type RrCallback = (ctx: import('@sipr/core').RunCtx, params: string) => void;
export const callbacks: RrCallback[] = [];
