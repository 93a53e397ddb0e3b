/** `{uri.*}`: parts of a SIP URI; absent parts are ''. A value that is not a URI fails (null). */
import type { PvRegistryApi, PvValue, TransformationDef, TransParam } from '../types';
import type { SipUri } from '../../sip/types';
import type { RunCtx } from '../../script/types';
import { parseUriCached } from '../uri-cache';
import { paramStr } from '../spec';

function paramValue(u: SipUri, name: string): string {
  return u.param(name) ?? '';
}

function paramsText(u: SipUri): string {
  return u.params.map((p) => (p.value === null ? p.name : `${p.name}=${p.value}`)).join(';');
}

type UriFn = (u: SipUri, ctx: RunCtx, p: readonly TransParam[]) => PvValue;

function def(name: string, fn: UriFn, params?: TransformationDef['params']): TransformationDef {
  return {
    cls: 'uri',
    name,
    params,
    apply(ctx, v, p) {
      const u = parseUriCached(typeof v === 'string' ? v : '' + v);
      return u === null ? null : fn(u, ctx, p);
    },
  };
}

export const uriTransformations: TransformationDef[] = [
  def('user', (u) => u.user),
  def('scheme', (u) => u.scheme),
  def('host', (u) => u.host),
  def('passwd', (u) => u.password),
  def('port', (u) => (u.port ? String(u.port) : '')),
  def('params', paramsText),
  def('param', (u, ctx, p) => paramValue(u, paramStr(ctx, p[0])), ['str']),
  def('headers', (u) => u.headers),
  def('transport', (u) => paramValue(u, 'transport')),
  def('ttl', (u) => paramValue(u, 'ttl')),
  def('uparam', (u) => paramValue(u, 'user')),
  def('maddr', (u) => paramValue(u, 'maddr')),
  def('method', (u) => paramValue(u, 'method')),
  def('lr', (u) => paramValue(u, 'lr')),
];

export function registerUriTransformations(reg: PvRegistryApi): void {
  for (const d of uriTransformations) reg.registerTransformation(d);
}
