/** URI and dialog checks of siputils: is_user, has_totag, uri_param, e164, URI comparison. */
import { parseUri, uriEquals, type PvSpec, type RunCtx, type SipMsg, type SipUri } from '@sipr/core';
import type { FParam } from '@sipr/compat';

/** The Request-URI the script currently routes on ($ru). */
export function currentRuri(ctx: RunCtx): SipUri | null {
  const msg = ctx.msg;
  try {
    return msg.newUri !== null ? parseUri(msg.newUri) : msg.uri();
  } catch {
    ctx.core.log.error('siputils: ruri parsing failed');
    return null;
  }
}

export function hasTotag(ctx: RunCtx): number {
  try {
    return ctx.msg.to().tag ? 1 : -1;
  } catch {
    ctx.core.log.error('siputils: To parsing failed');
    return -1;
  }
}

/**
 * is_user(name): the user part of the digest username. Kamailio looks only at credentials the auth
 * module has checked; sipr has no auth module yet, so the first Authorization, else
 * Proxy-Authorization, credentials are used.
 */
export function isUser(ctx: RunCtx, user: string): number {
  const msg = ctx.msg as SipMsg;
  let username: string | undefined;
  try {
    username = (msg.credentials('authorization')[0] ?? msg.credentials('proxy-authorization')[0])?.username;
  } catch {
    username = undefined;
  }
  if (username === undefined) {
    ctx.core.log.error('is_user: no credentials found');
    return -1;
  }
  const at = username.indexOf('@');
  return (at < 0 ? username : username.slice(0, at)) === user ? 1 : -1;
}

/** uri_param(name[, value]): the R-URI has the parameter (without a value when none is given). */
export function uriParam(ctx: RunCtx, name: string, value?: string): number {
  const u = currentRuri(ctx);
  if (!u) return -1;
  const p = u.params.find((x) => x.name === name);
  if (!p) return -1;
  if (value === undefined) return p.value === null || p.value === '' ? 1 : -1;
  return p.value === value ? 1 : -1;
}

/** add_uri_param(param): append ";param" to the R-URI, before its headers when it has some. */
export function addUriParam(ctx: RunCtx, param: string): number {
  if (param === '') return 1;
  const msg = ctx.msg;
  const cur = msg.newUri ?? msg.ruri;
  if (!currentRuri(ctx)) return -1;
  const q = cur.indexOf('?');
  msg.newUri = q < 0 ? `${cur};${param}` : `${cur.slice(0, q)};${param}${cur.slice(q)}`;
  return 1;
}

/** "+" and 2 to 15 digits. */
export function isE164Text(s: string): boolean {
  return /^\+\d{2,15}$/.test(s);
}

/** is_e164(value): value may be a PV or hold PVs (Kamailio 3.0 took a PV only, later versions any string). */
export function isE164(ctx: RunCtx, value: FParam): number {
  const v = value.str(ctx);
  return v !== null && isE164Text(v) ? 1 : -1;
}

export function isUriUserE164(ctx: RunCtx, value: FParam): number {
  const v = value.str(ctx);
  if (!v) return -1;
  const colon = v.indexOf(':');
  const at = v.indexOf('@', colon + 1);
  if (colon < 0 || at < 0) return -1;
  return isE164Text(v.slice(colon + 1, at)) ? 1 : -1;
}

/**
 * tel2sip(uri, hostpart, result): a tel: URI becomes sip:NUMBER@hostpart;user=phone (visual
 * separators dropped from the number, everything lower-cased); other URIs are left alone (1).
 */
export function tel2sip(ctx: RunCtx, uri: FParam, host: FParam, result: PvSpec): number {
  const u = uri.str(ctx);
  const h = host.str(ctx);
  if (u === null || h === null) {
    ctx.core.log.error('tel2sip: failed to get the uri or hostpart value');
    return -1;
  }
  if (u.length < 4 || u.slice(0, 4).toLowerCase() !== 'tel:') return 1;
  const semi = u.indexOf(';');
  const num = (semi < 0 ? u : u.slice(0, semi)).replace(/[-.()]/g, '');
  const tel = (num + (semi < 0 ? '' : u.slice(semi))).toLowerCase();
  try {
    result.set(ctx, `sip:${tel.slice(4)}@${h};user=phone`);
  } catch {
    ctx.core.log.error('tel2sip: failed to set result pvar');
    return -1;
  }
  return 1;
}

function uriArgs(ctx: RunCtx, a: FParam, b: FParam, fn: string): [SipUri, SipUri] | null {
  const x = a.str(ctx);
  const y = b.str(ctx);
  try {
    if (x !== null && y !== null) return [parseUri(x), parseUri(y)];
  } catch {
    // reported below
  }
  ctx.core.log.error(`${fn}: cannot parse the URIs`);
  return null;
}

/** cmp_uri(a, b): RFC 3261 19.1.4 equality. */
export function cmpUri(ctx: RunCtx, a: FParam, b: FParam): number {
  const u = uriArgs(ctx, a, b, 'cmp_uri');
  return u && uriEquals(u[0], u[1]) ? 1 : -1;
}

/** cmp_aor(a, b): user and host (case-insensitive) and port only. */
export function cmpAor(ctx: RunCtx, a: FParam, b: FParam): number {
  const u = uriArgs(ctx, a, b, 'cmp_aor');
  if (!u) return -1;
  const [x, y] = u;
  return x.user === y.user && x.host.toLowerCase() === y.host.toLowerCase() && (x.port || 5060) === (y.port || 5060) ? 1 : -1;
}
