/**
 * rr: Record-Route and loose routing, Kamailio 3.0 modules_k/rr (kamailio shape).
 */
import { compileEre, type FixupSite, type RunCtx, type SipMsg } from '@sipr/core';
import { defineKamailioModule, fixup_spve_null, FParam, PARAM_INT, PARAM_USE_FUNC, REQUEST_ROUTE, FAILURE_ROUTE, BRANCH_ROUTE } from '@sipr/compat';
import { addRrParam, recordRoute, recordRoutePreset } from './record';
import { checkRouteParam, getRouteParam, isDirection, looseRoute } from './loose';
import { callbacks, resetSettings, settings, type RrCallback } from './state';
import { routeEntries } from './routes';

function flag(key: keyof typeof settings) {
  return (_type: number, v: number) => {
    if (v !== 0 && v !== 1) throw new Error(`${key} must be 0 or 1`);
    settings[key] = v;
  };
}

/** A POSIX ERE, case-insensitive as Kamailio's fixup_regexp compiles it. */
function regexFixup(value: string | null, paramNo: number): unknown {
  return paramNo !== 1 || value === null ? value : compileEre(value, true);
}

function directionFixup(value: string | null): boolean {
  const v = (value ?? '').toLowerCase();
  if (v !== 'downstream' && v !== 'upstream') throw new Error(`unknown direction "${value}" (downstream or upstream)`);
  return v === 'upstream';
}

function strOf(ctx: RunCtx, p: FParam): string | null {
  const s = p.str(ctx);
  if (s === null) ctx.core.log.error('rr: cannot print the parameter');
  return s;
}

const RFB = REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE;

export default defineKamailioModule({
  name: 'rr',
  version: '0.1.0',
  cmds: [
    ['loose_route', looseRoute, 0, null, null, REQUEST_ROUTE],
    ['record_route', (ctx: RunCtx) => recordRoute(ctx), 0, null, null, REQUEST_ROUTE | BRANCH_ROUTE | FAILURE_ROUTE],
    ['record_route', (ctx: RunCtx, p: FParam) => {
      const s = strOf(ctx, p);
      return s === null ? -1 : recordRoute(ctx, s && !s.startsWith(';') ? `;${s}` : s);
    }, 1, fixup_spve_null, null, REQUEST_ROUTE | BRANCH_ROUTE | FAILURE_ROUTE],
    ['record_route_preset', (ctx: RunCtx, p: FParam) => {
      const s = strOf(ctx, p);
      return s === null ? -1 : recordRoutePreset(ctx, s);
    }, 1, fixup_spve_null, null, REQUEST_ROUTE | BRANCH_ROUTE | FAILURE_ROUTE],
    ['record_route_preset', (ctx: RunCtx, a: FParam, b: FParam) => {
      const x = strOf(ctx, a);
      const y = strOf(ctx, b);
      return x === null || y === null ? -1 : recordRoutePreset(ctx, x, y);
    }, 2, (v: string | null, _n: number, site: FixupSite) => fixup_spve_null(v, 1, site), null, REQUEST_ROUTE | BRANCH_ROUTE | FAILURE_ROUTE],
    ['add_rr_param', (ctx: RunCtx, p: FParam) => {
      const s = strOf(ctx, p);
      return s === null ? -1 : addRrParam(ctx, s);
    }, 1, fixup_spve_null, null, RFB],
    ['check_route_param', checkRouteParam, 1, regexFixup, null, REQUEST_ROUTE],
    ['is_direction', isDirection, 1, (v: string | null) => directionFixup(v), null, REQUEST_ROUTE],
  ],
  params: [
    ['enable_full_lr', PARAM_INT | PARAM_USE_FUNC, flag('enableFullLr')],
    ['append_fromtag', PARAM_INT | PARAM_USE_FUNC, flag('appendFromtag')],
    ['enable_double_rr', PARAM_INT | PARAM_USE_FUNC, flag('enableDoubleRr')],
    ['add_username', PARAM_INT | PARAM_USE_FUNC, flag('addUsername')],
  ],
  items: [{
    // $route_uri: the URI of the first Route entry as received
    name: 'route_uri',
    inner: 'none',
    get: (ctx: RunCtx) => routeEntries(ctx.msg as SipMsg)[0]?.uri ?? null,
  }],
  api: {
    record_route: recordRoute,
    loose_route: looseRoute,
    add_rr_param: addRrParam,
    is_direction: isDirection,
    get_route_param: getRouteParam,
    register_rrcb: (cb: RrCallback) => { callbacks.push(cb); },
  },
  register() {
    // one Core per process: a new core (tests) starts from the defaults
    resetSettings();
    callbacks.length = 0;
  },
});
