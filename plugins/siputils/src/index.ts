/**
 * siputils: small SIP helpers of Kamailio 3.0's modules_k/siputils (kamailio shape): URI
 * parameter checks and edits, tel: to sip: conversion, E.164 tests, To-tag and credentials
 * checks, URI comparison and the OPTIONS keepalive reply.
 */
import type { Core, FixupSite, RunCtx } from '@sipr/core';
import {
  defineKamailioModule, fixup_pvar_null, fixup_spve_null, fixup_spve_spve, fixup_str_null, fixup_str_str,
  PARAM_INT, PARAM_STRING, PARAM_USE_FUNC, ANY_ROUTE, REQUEST_ROUTE, FAILURE_ROUTE, BRANCH_ROUTE, LOCAL_ROUTE,
} from '@sipr/compat';
import { addUriParam, cmpAor, cmpUri, hasTotag, isE164, isUriUserE164, isUser, tel2sip, uriParam } from './checks';
import { optionsHeaders, optionsReply, type SlReply } from './options';
import { resetRing, ring, ring183, ringInsertCallid } from './ring';

let slReply: SlReply | undefined;

const tel2sipFixup = (value: string | null, paramNo: number, site: FixupSite) =>
  paramNo === 3 ? fixup_pvar_null(value, 1, site) : fixup_spve_null(value, 1, site);

function setHeader(key: keyof typeof optionsHeaders) {
  return (_type: number, value: string) => {
    optionsHeaders[key] = value;
    return 0;
  };
}

const ROUTES = REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE | LOCAL_ROUTE;

export default defineKamailioModule({
  name: 'siputils',
  version: '0.1.0',
  cmds: [
    ['is_user', isUser, 1, fixup_str_null, null, REQUEST_ROUTE | FAILURE_ROUTE | LOCAL_ROUTE],
    ['has_totag', hasTotag, 0, null, null, ANY_ROUTE],
    ['uri_param', (ctx: RunCtx, n: string) => uriParam(ctx, n), 1, fixup_str_null, null, ROUTES],
    ['uri_param', uriParam, 2, fixup_str_str, null, ROUTES],
    ['add_uri_param', addUriParam, 1, fixup_str_null, null, REQUEST_ROUTE],
    ['tel2sip', tel2sip, 3, tel2sipFixup, null, ROUTES],
    ['is_e164', isE164, 1, fixup_spve_null, null, REQUEST_ROUTE | FAILURE_ROUTE | LOCAL_ROUTE],
    ['is_uri_user_e164', isUriUserE164, 1, fixup_spve_null, null, ANY_ROUTE],
    ['is_request', (ctx: RunCtx) => (ctx.msg.isRequest ? 1 : -1), 0, null, null, ANY_ROUTE],
    ['is_reply', (ctx: RunCtx) => (ctx.msg.isRequest ? -1 : 1), 0, null, null, ANY_ROUTE],
    ['cmp_uri', cmpUri, 2, fixup_spve_spve, null, ANY_ROUTE],
    ['cmp_aor', cmpAor, 2, fixup_spve_spve, null, ANY_ROUTE],
    ['options_reply', (ctx: RunCtx) => optionsReply(ctx, slReply!), 0, null, null, REQUEST_ROUTE],
    ['ring_insert_callid', ringInsertCallid, 0, () => {
      if (ring.timeout <= 0) throw new Error('ring_insert_callid functionality deactivated, you need to set a positive ring_timeout');
    }, null, REQUEST_ROUTE | FAILURE_ROUTE],
  ],
  params: [
    ['options_accept', PARAM_STRING | PARAM_USE_FUNC, setHeader('accept')],
    ['options_accept_encoding', PARAM_STRING | PARAM_USE_FUNC, setHeader('acceptEncoding')],
    ['options_accept_language', PARAM_STRING | PARAM_USE_FUNC, setHeader('acceptLanguage')],
    ['options_support', PARAM_STRING | PARAM_USE_FUNC, setHeader('supported')],
    ['ring_timeout', PARAM_INT | PARAM_USE_FUNC, (_t: number, v: number) => {
      if (v < 0) throw new Error('ring_timeout must not be negative');
      ring.timeout = v;
    }],
  ],
  register(core: Core) {
    // one Core per process: a new core (tests) starts from the defaults
    Object.assign(optionsHeaders, { accept: '*/*', acceptEncoding: '', acceptLanguage: 'en', supported: '' });
    slReply = undefined;
    resetRing(core);
  },
  init(core: Core) {
    if (ring.timeout > 0) core.hooks.netDataIn.tap('siputils', (buf, rcv) => (buf ? ring183(buf, rcv) : buf));
    slReply = core.modules.findExport<SlReply>('sl', 'reply');
    if (!slReply) throw new Error('siputils needs the sl module loaded (options_reply)');
  },
});
