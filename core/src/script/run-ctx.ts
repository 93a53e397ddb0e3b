import type { Core } from '../core';
import type { SipMessage } from '../sip/types';
import type { AvpStores, RunCtx } from './types';
import { RunFlag } from './flags';

/** A fresh context for one top-level run (request, reply, failure, event route...). */
export function createRunCtx(core: Core, msg: SipMessage, routeType: number, stores?: AvpStores): RunCtx {
  return {
    core,
    msg,
    routeType,
    rc: 0,
    sflags: 0,
    branches: [],
    stores: stores ?? core.pv.newStores(),
    slots: new Map(),
    runFlags: 0,
    depth: 0,
  };
}

/** Whether the last run of ctx ended with `drop` (onreply/onsend/branch routes consult this). */
export function wasDropped(ctx: RunCtx): boolean {
  return ((ctx.runFlags ?? 0) & RunFlag.DROP) !== 0;
}
