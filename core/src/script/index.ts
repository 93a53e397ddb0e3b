export { createRunCtx, wasDropped } from './run-ctx';
export { isMyself, type HostEntry } from './myself';
export { RunFlag, MAX_ROUTE_DEPTH } from './flags';
export { Script } from './script';
export { toInt, toStr, type Val } from './values';
export { withForwardFlags, withReplyFlags } from './send-flags';
