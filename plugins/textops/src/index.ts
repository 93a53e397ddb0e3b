/**
 * textops: regex search and replace on the message, header add/remove/check, headers for replies.
 * Kamailio shape (modules_k/textops). Edits are message changes on the received bytes: later
 * reads in the same route still see the message as received, as in Kamailio, until textopsx's
 * msg_apply_changes().
 */
import { headerKey, type FixupSite, type RunCtx } from '@sipr/core';
import {
  defineKamailioModule, fixup_spve_null, fixup_spve_spve, fixup_str_str, FParam,
  ANY_ROUTE, REQUEST_ROUTE, FAILURE_ROUTE, BRANCH_ROUTE, ONREPLY_ROUTE,
} from '@sipr/compat';
import { bodyStart, compileRegex, headersStart } from './text';
import { parseSubst, type Subst } from './subst';
import { appendAfterMatch, replaceFrom, search, searchBody, substFrom, substUri, substUser } from './search';
import {
  addHeader, appendTime, appendTimeToRequest, appendToReply, appendUriHf, isPresentHf, isPresentHfRe, removeHf, removeHfRe,
} from './headers';
import { filterBody, hasBody, mimeFixup, setBody, setReplyBody } from './body';
import { isMethod, parseMethods } from './methods';
import { cmpIstr, cmpStr, inList, inListFixup, startsWith } from './strings';
import { searchHf, substHf, whichFixup } from './hf';
import { isAudioOnHold } from './sdp';
import { isPrivacy, privacyFixup } from './privacy';

const REQ_FAIL_BRANCH = REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE;

const regexFixup = (value: string | null, paramNo: number) => (paramNo === 1 && value !== null ? compileRegex(value) : value);
const substFixup = (value: string | null, paramNo: number, site: FixupSite) => (paramNo === 1 && value !== null ? parseSubst(value, site.core) : value);

/** A header name: compact and long forms of known headers are the same header. */
function hnameFixup(value: string | null): string {
  if (!value) throw new Error('empty header name');
  if (!/^[!-9;-~]+$/.test(value)) throw new Error(`bad header name "${value}"`);
  return headerKey(value);
}

/** search_hf / subst_hf: header name, then the regex or substitution, then the field flag. */
function hfFixup(compile: (v: string, site: FixupSite) => unknown) {
  return (value: string | null, paramNo: number, site: FixupSite): unknown =>
    paramNo === 1 ? hnameFixup(value) : paramNo === 2 ? compile(value ?? '', site) : whichFixup(value);
}

const addHeaderFixup = (value: string | null, paramNo: number, site: FixupSite) => (paramNo === 2 ? hnameFixup(value) : fixup_spve_null(value, paramNo, site));

export default defineKamailioModule({
  name: 'textops',
  version: '0.1.0',
  cmds: [
    ['search', search, 1, regexFixup, null, ANY_ROUTE],
    ['search_body', searchBody, 1, regexFixup, null, ANY_ROUTE],
    ['search_append', (ctx: RunCtx, re: RegExp, txt: string) => appendAfterMatch(ctx.msg, re, headersStart(ctx.msg), txt), 2, regexFixup, null, ANY_ROUTE],
    ['search_append_body', (ctx: RunCtx, re: RegExp, txt: string) => appendAfterMatch(ctx.msg, re, bodyStart(ctx.msg), txt), 2, regexFixup, null, ANY_ROUTE],
    ['replace', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, headersStart(ctx.msg), txt, false), 2, regexFixup, null, ANY_ROUTE],
    ['replace_all', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, headersStart(ctx.msg), txt, true), 2, regexFixup, null, ANY_ROUTE],
    ['replace_body', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, bodyStart(ctx.msg), txt, false), 2, regexFixup, null, ANY_ROUTE],
    ['replace_body_all', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, bodyStart(ctx.msg), txt, true), 2, regexFixup, null, ANY_ROUTE],
    // the body as one string: '.' crosses lines, ^ only at its start (no REG_NEWLINE)
    ['replace_body_atonce', (ctx: RunCtx, re: RegExp, txt: string) => replaceFrom(ctx, re, bodyStart(ctx.msg), txt, true), 2,
      (v: string | null, n: number) => (n === 1 && v !== null ? compileRegex(v, 'is') : v), null, ANY_ROUTE],
    ['subst', (ctx: RunCtx, s: Subst) => substFrom(ctx, s, headersStart(ctx.msg)), 1, substFixup, null, ANY_ROUTE],
    ['subst_body', (ctx: RunCtx, s: Subst) => substFrom(ctx, s, bodyStart(ctx.msg)), 1, substFixup, null, ANY_ROUTE],
    ['subst_uri', substUri, 1, substFixup, null, REQ_FAIL_BRANCH | ONREPLY_ROUTE],
    ['subst_user', substUser, 1, substFixup, null, REQ_FAIL_BRANCH | ONREPLY_ROUTE],
    ['append_to_reply', appendToReply, 1, fixup_spve_null, null, REQ_FAIL_BRANCH],
    ['append_hf', (ctx: RunCtx, v: FParam) => addHeader(ctx, v, undefined, true), 1, addHeaderFixup, null, ANY_ROUTE],
    ['append_hf', (ctx: RunCtx, v: FParam, h: string) => addHeader(ctx, v, h, true), 2, addHeaderFixup, null, ANY_ROUTE],
    ['insert_hf', (ctx: RunCtx, v: FParam) => addHeader(ctx, v, undefined, false), 1, addHeaderFixup, null, ANY_ROUTE],
    ['insert_hf', (ctx: RunCtx, v: FParam, h: string) => addHeader(ctx, v, h, false), 2, addHeaderFixup, null, ANY_ROUTE],
    ['append_urihf', appendUriHf, 2, fixup_str_str, null, REQ_FAIL_BRANCH],
    ['remove_hf', removeHf, 1, (v: string | null) => hnameFixup(v), null, ANY_ROUTE],
    ['remove_hf_re', removeHfRe, 1, regexFixup, null, ANY_ROUTE],
    ['is_present_hf', isPresentHf, 1, (v: string | null) => hnameFixup(v), null, ANY_ROUTE],
    ['is_present_hf_re', isPresentHfRe, 1, regexFixup, null, ANY_ROUTE],
    ['search_hf', searchHf, 3, hfFixup((v) => compileRegex(v)), null, ANY_ROUTE],
    ['subst_hf', substHf, 3, hfFixup((v, site) => parseSubst(v, site.core)), null, ANY_ROUTE],
    ['filter_body', filterBody, 1, fixup_str_str, null, ANY_ROUTE],
    ['append_time', appendTime, 0, null, null, REQ_FAIL_BRANCH],
    ['append_time_to_request', appendTimeToRequest, 0, null, null, ANY_ROUTE],
    ['set_body', setBody, 2, fixup_spve_spve, null, REQ_FAIL_BRANCH | ONREPLY_ROUTE],
    ['set_reply_body', setReplyBody, 2, fixup_spve_spve, null, REQUEST_ROUTE],
    ['is_method', isMethod, 1, (v: string | null) => parseMethods(v ?? ''), null, ANY_ROUTE],
    ['has_body', (ctx: RunCtx) => hasBody(ctx), 0, null, null, ANY_ROUTE],
    ['has_body', hasBody, 1, mimeFixup, null, ANY_ROUTE],
    ['in_list', inList, 3, inListFixup, null, ANY_ROUTE],
    ['is_audio_on_hold', isAudioOnHold, 0, null, null, ANY_ROUTE],
    ['is_privacy', isPrivacy, 1, (v: string | null) => privacyFixup(v), null, ANY_ROUTE],
    ['cmp_str', cmpStr, 2, fixup_spve_spve, null, ANY_ROUTE],
    ['cmp_istr', cmpIstr, 2, fixup_spve_spve, null, ANY_ROUTE],
    ['starts_with', startsWith, 2, fixup_spve_spve, null, ANY_ROUTE],
  ],
});
