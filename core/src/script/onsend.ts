/** onsend_route: runs on the final bytes before a request leaves; `drop` there prevents the send. */
import type { Destination } from '../transport/types';
import { RouteType, type RunCtx } from './types';
import { RunFlag } from './flags';

/** Whether the message may be sent. Only the unnamed onsend_route is ever run. */
export function runOnSend(ctx: RunCtx, buf: Buffer, dst: Destination): boolean {
  const route = ctx.core.script?.route('onsend', 'main');
  if (!route) return true;
  const sub: RunCtx = { ...ctx, routeType: RouteType.ONSEND, send: { buf, dst }, runFlags: 0, depth: 0, rc: 1 };
  const r = route(sub);
  // an onsend route cannot wait: an async one is refused when the config is checked
  if (typeof r !== 'number') return true;
  const f = sub.runFlags ?? 0;
  if (f & RunFlag.DROP) return false;
  // #!SER and #!ALL: returning 0 without drop also drops; #!KAMAILIO sends
  if (r === 0 && ctx.core.compatMode !== 'kamailio') return false;
  return true;
}
