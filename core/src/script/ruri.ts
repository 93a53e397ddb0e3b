/** Request-URI edits of the rewrite/set family, prefix/strip and userphone (cfg-language.md §7). */
import { parseUri } from '../sip/uri';
import type { SipUri } from '../sip/types';

export type UriPart = 'uri' | 'host' | 'hostport' | 'hostporttrans' | 'user' | 'userpass' | 'port' | 'prefix' | 'strip' | 'strip_tail' | 'userphone';

interface Parts {
  scheme: string;
  user: string;
  password: string;
  host: string;
  port: string;
  params: string;
  headers: string;
}

function split(u: SipUri, dropTransport: boolean): Parts {
  const params = dropTransport ? u.params.filter((p) => p.name.toLowerCase() !== 'transport') : u.params;
  return {
    scheme: u.scheme,
    user: u.user,
    password: u.password,
    host: u.host,
    port: u.port ? String(u.port) : '',
    params: params.map((p) => (p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`)).join(''),
    headers: u.headers ? `?${u.headers}` : '',
  };
}

function join(p: Parts): string {
  const userinfo = p.user || p.password ? `${p.user}${p.password ? ':' + p.password : ''}@` : '';
  return `${p.scheme}:${userinfo}${p.host}${p.port ? ':' + p.port : ''}${p.params}${p.headers}`;
}

/** The new URI text; throws when the current URI cannot be parsed. */
export function rewriteUri(current: string, part: UriPart, arg: string): string {
  if (part === 'uri') return arg;
  // sethpt() also drops the transport parameter (the new host:port decides it)
  const p = split(parseUri(current), part === 'hostporttrans');
  switch (part) {
    case 'host':
      p.host = arg;
      break;
    case 'hostport':
    case 'hostporttrans': {
      const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(arg)!;
      p.host = m[1];
      p.port = m[2] ?? '';
      break;
    }
    case 'user':
      p.user = arg;
      break;
    case 'userpass': {
      const i = arg.indexOf(':');
      p.user = i < 0 ? arg : arg.slice(0, i);
      p.password = i < 0 ? '' : arg.slice(i + 1);
      break;
    }
    case 'port':
      p.port = arg;
      break;
    case 'prefix':
      p.user = arg + p.user;
      break;
    case 'strip':
      p.user = p.user.slice(Math.min(Number(arg), p.user.length));
      break;
    case 'strip_tail':
      p.user = p.user.slice(0, Math.max(0, p.user.length - Number(arg)));
      break;
    case 'userphone':
      if (!/;user=/i.test(p.params)) p.params += ';user=phone';
      break;
  }
  return join(p);
}
