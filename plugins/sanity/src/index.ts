/**
 * sanity: sanity_check([checks[, uri_checks]]) runs Kamailio's request checks (bit values as in
 * Kamailio) in order and stops at the first failure, which has been answered through sl with the
 * matching 4xx/5xx. Ser shape (modules/sanity).
 */
import type { Core, RunCtx } from '@sipr/core';
import { defineSerModule, PARAM_INT, PARAM_STRING, PARAM_USE_FUNC, REQUEST_ROUTE } from '@sipr/compat';
import {
  Check, DEFAULT_CHECKS, DEFAULT_URI_CHECKS, contentLength, cseqMethod, cseqValue, digest, expiresValue,
  parseUris, proxyRequire, requiredHeaders, ruriScheme, ruriSipVersion, type Env, type Reply,
} from './checks';

let defaultChecks = DEFAULT_CHECKS;
let uriChecks = DEFAULT_URI_CHECKS;
let autodrop = 1;
const env: Env = { reply: () => -1, proxyRequire: [] };

/** 1 when every selected check passes; on failure 0 (stop the script) or -1 with autodrop=0. */
export function sanityCheck(ctx: RunCtx, checks = defaultChecks, uris = uriChecks): number {
  const ok = (!(checks & Check.RURI_SIP_VERSION) || ruriSipVersion(ctx, env))
    && (!(checks & Check.RURI_SCHEME) || ruriScheme(ctx, env))
    && (!(checks & Check.REQUIRED_HEADERS) || requiredHeaders(ctx, env))
    // VIA_SIP_VERSION and VIA_PROTOCOL pass always, as in Kamailio: the Via parser refuses both already
    && (!(checks & Check.CSEQ_METHOD) || cseqMethod(ctx, env))
    && (!(checks & Check.CSEQ_VALUE) || cseqValue(ctx, env))
    && (!(checks & Check.CL) || contentLength(ctx, env))
    && (!(checks & Check.EXPIRES_VALUE) || expiresValue(ctx, env))
    && (!(checks & Check.PROXY_REQUIRE) || proxyRequire(ctx, env))
    && (!(checks & Check.PARSE_URIS) || parseUris(ctx, env, uris))
    && (!(checks & Check.DIGEST) || digest(ctx));
  if (ok) return 1;
  return autodrop ? 0 : -1;
}

function range(what: string, max: number) {
  return (value: string | null, paramNo: number): unknown => {
    if (value === null || paramNo < 1) return value;
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!(n >= 1 && n <= max)) throw new Error(`${what} (${value}) outside of valid range 1-${max}`);
    return n;
  };
}
const checksFixup = range('checks', Check.MAX - 1);
const bothFixup = (value: string | null, paramNo: number) =>
  paramNo === 2 ? range('uri checks', DEFAULT_URI_CHECKS)(value, paramNo) : checksFixup(value, paramNo);

export default defineSerModule({
  name: 'sanity',
  version: '0.1.0',
  cmds: [
    ['sanity_check', (ctx: RunCtx) => sanityCheck(ctx), 0, null, REQUEST_ROUTE],
    ['sanity_check', (ctx: RunCtx, c: number) => sanityCheck(ctx, c), 1, checksFixup, REQUEST_ROUTE],
    ['sanity_check', (ctx: RunCtx, c: number, u: number) => sanityCheck(ctx, c, u), 2, bothFixup, REQUEST_ROUTE],
  ],
  params: [
    ['default_checks', PARAM_INT | PARAM_USE_FUNC, (_t: number, v: number) => { defaultChecks = v; }],
    ['uri_checks', PARAM_INT | PARAM_USE_FUNC, (_t: number, v: number) => { uriChecks = v; }],
    ['autodrop', PARAM_INT | PARAM_USE_FUNC, (_t: number, v: number) => { autodrop = v; }],
    ['proxy_require', PARAM_STRING | PARAM_USE_FUNC, (_t: number, v: string) => {
      env.proxyRequire = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    }],
  ],
  api: { sanity_check: sanityCheck },
  register() {
    // one Core per process: a new core (tests) starts from the defaults
    defaultChecks = DEFAULT_CHECKS;
    uriChecks = DEFAULT_URI_CHECKS;
    autodrop = 1;
    env.proxyRequire = [];
  },
  init(core: Core) {
    const reply = core.modules.findExport<Reply>('sl', 'reply');
    if (!reply) throw new Error('sanity needs the sl module loaded');
    env.reply = reply;
  },
});
