/**
 * loose_route(): route a request along its Route set (RFC 3261 16.4 and 16.12), including the
 * recovery when the previous hop was a strict router (our URI in the R-URI) and the removal of
 * both of our entries after a double Record-Route. Returns 1 when the Route set decided where
 * the request goes, -1 when there is no Route, it cannot be parsed, or only our own entry was
 * there on an initial request.
 */
import { isMyself, type RunCtx, type SipMessage, type SipMsg, type SipUri } from '@sipr/core';
import { isLoose, isR2, paramText, paramValue, safeParse } from './params';
import { removeEntries, routeEntries, type RouteEntry } from './routes';
import { callbacks, routedParams, settings } from './state';

const RR_DRIVEN = 1;
const NOT_RR_DRIVEN = -1;

function mine(ctx: RunCtx, u: SipUri): boolean {
  const tp = u.param('transport');
  const proto = typeof tp === 'string' ? tp.toLowerCase() : undefined;
  const port = u.port || (u.scheme === 'sips' || proto === 'tls' ? 5061 : 5060);
  return isMyself(ctx.core, u.host, port, proto);
}

function receivedUri(msg: SipMsg): SipUri | null {
  try {
    return msg.uri();
  } catch {
    return null;
  }
}

/** An initial request (no To-tag) that came with a Route set. */
function preloaded(msg: SipMsg): boolean {
  try {
    return !msg.to().tag;
  } catch {
    return false;
  }
}

function bad(ctx: RunCtx, what: string): number {
  ctx.core.log.error(`loose_route: ${what}`);
  return -1;
}

/** The R-URI goes to the end of the Route set when the next hop is a strict router. */
function saveRuri(msg: SipMsg): void {
  msg.appendHeader(`Route: <${msg.newUri ?? msg.ruri}>\r\n`);
}

function afterLoose(ctx: RunCtx, entries: RouteEntry[], gone: Set<RouteEntry>, isPreloaded: boolean): number {
  const msg = ctx.msg as SipMsg;
  let i = 0;
  let u = safeParse(entries[0].uri);
  if (!u) return bad(ctx, `cannot parse Route URI ${entries[0].uri}`);
  if (mine(ctx, u)) {
    routedParams.set(msg, paramText(entries[0].uri));
    gone.add(entries[0]);
    i = 1;
    if (settings.enableDoubleRr && isR2(u) && i < entries.length) {
      const second = safeParse(entries[i].uri);
      if (second && mine(ctx, second)) {
        gone.add(entries[i]);
        i++;
      }
    }
    if (i >= entries.length) return isPreloaded ? NOT_RR_DRIVEN : RR_DRIVEN;
    u = safeParse(entries[i].uri);
    if (!u) return bad(ctx, `cannot parse Route URI ${entries[i].uri}`);
  } else {
    // not ours: the route params are the R-URI's (Kamailio hooks them the same way)
    routedParams.set(msg, paramText(msg.newUri ?? msg.ruri));
  }
  const next = entries[i];
  if (isLoose(u)) {
    msg.dstUri = next.uri;
  } else {
    saveRuri(msg);
    msg.newUri = next.uri;
    gone.add(next);
  }
  return RR_DRIVEN;
}

/** The previous hop was a strict router: our URI is the R-URI and the real target is last in the Route set. */
function afterStrict(ctx: RunCtx, entries: RouteEntry[], gone: Set<RouteEntry>): number {
  const msg = ctx.msg as SipMsg;
  routedParams.set(msg, paramText(msg.newUri ?? msg.ruri));
  let i = 0;
  let u = safeParse(entries[0].uri);
  if (!u) return bad(ctx, `cannot parse Route URI ${entries[0].uri}`);
  if (settings.enableDoubleRr && isR2(u) && mine(ctx, u)) {
    gone.add(entries[0]);
    i = 1;
    if (i >= entries.length) return bad(ctx, 'no next Route after our own');
    u = safeParse(entries[i].uri);
    if (!u) return bad(ctx, `cannot parse Route URI ${entries[i].uri}`);
  }
  const next = entries[i];
  if (!isLoose(u)) {
    // strict next hop too: behave like a strict router
    msg.newUri = next.uri;
    gone.add(next);
    return RR_DRIVEN;
  }
  msg.dstUri = next.uri;
  const last = entries[entries.length - 1];
  if (last === next) return bad(ctx, 'no remote target in the Route set');
  msg.newUri = last.uri;
  gone.add(last);
  return RR_DRIVEN;
}

export function looseRoute(ctx: RunCtx): number {
  const msg = ctx.msg as SipMsg;
  if (!msg.isRequest) return -1;
  const entries = routeEntries(msg);
  if (entries.length === 0) return -1;
  const ruri = msg.newUri === null ? receivedUri(msg) : safeParse(msg.newUri);
  if (!ruri) return bad(ctx, 'cannot parse the Request-URI');
  // removals are collected and applied together: two entries of one field may go
  const gone = new Set<RouteEntry>();
  let rc: number;
  if (preloaded(msg)) rc = afterLoose(ctx, entries, gone, true);
  else rc = mine(ctx, ruri) ? afterStrict(ctx, entries, gone) : afterLoose(ctx, entries, gone, false);
  if (gone.size) removeEntries(msg, entries, gone);
  const params = routedParams.get(msg);
  if (rc === RR_DRIVEN && params) for (const cb of callbacks) cb(ctx, params);
  return rc;
}

/** Kamailio's get_route_param: a parameter of the Route URI loose_route() consumed (undefined: absent). */
export function getRouteParam(msg: SipMessage, name: string): string | null | undefined {
  const p = routedParams.get(msg);
  return p === undefined ? undefined : paramValue(p, name);
}

/** check_route_param(re): the params of the Route URI loose_route() consumed match re. */
export function checkRouteParam(ctx: RunCtx, re: RegExp): number {
  const p = routedParams.get(ctx.msg);
  if (p === undefined) return -1;
  re.lastIndex = 0;
  return re.test(p) ? 1 : -1;
}

/**
 * is_direction("downstream"|"upstream"): downstream when the From-tag equals the ftag the
 * Record-Route carried (or when that cannot be told), upstream otherwise.
 */
export function isDirection(ctx: RunCtx, upstream: boolean): number {
  const p = routedParams.get(ctx.msg);
  const ftag = p === undefined ? undefined : paramValue(p, 'ftag');
  let down = true;
  if (ftag) {
    let tag: string | undefined;
    try {
      tag = ctx.msg.from().tag;
    } catch {
      tag = undefined;
    }
    if (tag) down = tag === ftag;
  }
  return down !== upstream ? 1 : -1;
}
