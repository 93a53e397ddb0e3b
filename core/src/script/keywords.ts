/**
 * Core-keyword conditions (cfg-language.md §6.4): `method == INVITE`, `uri =~ "..."`,
 * `src_ip == 10.0.0.0/8`, `dst_port == 5060`, `uri == myself`, and the onsend-only keys.
 */
import type { Expr } from '../cfg/ast';
import { compileEre, ereTest } from '../cfg/regex';
import { parseUri } from '../sip/uri';
import type { RunCtx } from './types';
import type { Env } from './env';
import { compileExpr, type CE, type StmtCompiler } from './compile-expr';
import { isMyself } from './myself';
import { netMatch, parseNet, ipBytes, type Net } from './ip';
import { lookup } from 'node:dns/promises';
import type { SourcePos } from '../errors';
import { toInt, toStr } from './values';

type Kw = Extract<Expr, { k: 'kw' }>;
type Get = (ctx: RunCtx) => string | number | null;

const PROTO_NUM: Record<string, number> = { udp: 1, tcp: 2, tls: 3, sctp: 4, ws: 5, wss: 6 };
const AF_NUM: Record<string, number> = { inet: 2, inet6: 10 };

function currentUri(ctx: RunCtx): string {
  const m = ctx.msg;
  return m.isRequest ? (m.newUri ?? m.ruri) : String(m.status);
}

function sendSocketIp(ctx: RunCtx): string | null {
  const s = ctx.send;
  if (!s) return null;
  const sock = s.dst.socket ?? ctx.core.sender?.socketFor(s.dst);
  return sock ? sock.address : null;
}

const STR_KEYS: Record<string, Get> = {
  method: (ctx) => ctx.msg.method,
  uri: currentUri,
  status: currentUri,
  from_uri: (ctx) => ctx.msg.from().uri,
  to_uri: (ctx) => ctx.msg.to().uri,
};

const IP_KEYS: Record<string, Get> = {
  src_ip: (ctx) => ctx.msg.rcv.srcIp,
  dst_ip: (ctx) => ctx.msg.rcv.dstIp,
  snd_ip: sendSocketIp,
  to_ip: (ctx) => ctx.send?.dst.address ?? null,
};

const INT_KEYS: Record<string, Get> = {
  src_port: (ctx) => ctx.msg.rcv.srcPort,
  dst_port: (ctx) => ctx.msg.rcv.dstPort,
  'msg:len': (ctx) => (ctx.send ? ctx.send.buf.length : ctx.msg.buf.length),
  proto: (ctx) => PROTO_NUM[ctx.msg.rcv.proto] ?? 0,
  af: (ctx) => (ctx.msg.rcv.af === 6 ? 10 : 2),
  snd_port: (ctx) => {
    const s = ctx.send;
    const sock = s ? (s.dst.socket ?? ctx.core.sender?.socketFor(s.dst)) : undefined;
    return sock ? sock.port : null;
  },
  to_port: (ctx) => ctx.send?.dst.port ?? null,
  snd_proto: (ctx) => (ctx.send ? (PROTO_NUM[ctx.send.dst.proto] ?? 0) : null),
  snd_af: (ctx) => {
    const ip = sendSocketIp(ctx);
    return ip === null ? null : ipBytes(ip)?.length === 16 ? 10 : 2;
  },
};

const NEG = new Set(['!=', 'ne', '!~', 'ine']);
const ONSEND_ONLY = new Set(['snd_ip', 'snd_port', 'snd_proto', 'snd_af', 'to_ip', 'to_port']);

function cond(get: Get, test: (v: string | number, ctx: RunCtx) => boolean, neg: boolean): CE['ev'] {
  // a header that cannot be parsed makes the element false (true for the negated operators)
  return (ctx: RunCtx) => {
    let v: string | number | null;
    try {
      v = get(ctx);
    } catch {
      return neg ? 1 : 0;
    }
    if (v === null) return neg ? 1 : 0;
    return test(v, ctx) !== neg ? 1 : 0;
  };
}

function mySelf(key: string): (v: string | number, ctx: RunCtx) => boolean {
  if (key in IP_KEYS) return (v, ctx) => isMyself(ctx.core, String(v), 0);
  return (v, ctx) => {
    if (typeof v === 'number') return false;
    try {
      const u = parseUri(v);
      const tp = u.param('transport');
      return isMyself(ctx.core, u.host, u.port || 5060, typeof tp === 'string' ? tp : undefined);
    } catch {
      return false;
    }
  };
}

/**
 * `src_ip == name`: the name is resolved once at start (kamailio resolves it per message; a
 * worker must not wait for DNS) and any of its addresses matches. A name that does not resolve
 * is a warning and is then compared as text.
 */
function hostMatcher(env: Env, name: string, pos: SourcePos): (v: string | number | null) => boolean {
  const host = name.toLowerCase();
  const nets: Net[] = [];
  env.pending.push(
    lookup(host, { all: true }).then(
      (list) => {
        for (const a of list) {
          const n = parseNet(a.address);
          if (n !== null) nets.push(n);
        }
      },
      (e: Error) => env.warn(`cannot resolve '${name}' (${e.message}); compared as text`, pos),
    ),
  );
  return (v) => {
    const ip = String(v);
    for (let i = 0; i < nets.length; i++) if (netMatch(nets[i], ip)) return true;
    return ip.toLowerCase() === host;
  };
}

export function compileKeyword(env: Env, sc: StmtCompiler, e: Kw): CE {
  const { key, op, rhs, pos } = e;
  const neg = NEG.has(op);
  const get = STR_KEYS[key] ?? IP_KEYS[key] ?? INT_KEYS[key];
  if (ONSEND_ONLY.has(key) && env.routeType !== 16) env.err(`'${key}' can only be used in onsend_route`, pos);
  const out = (ev: CE['ev']): CE => ({ ev, async: false, type: 'int' });
  if (rhs.k === 'myself') {
    if (key in INT_KEYS) env.err(`'${key}' cannot be compared with myself`, pos);
    if (op !== '==' && op !== '!=') env.err("'myself' needs == or !=", pos);
    return out(cond(get, mySelf(key), neg));
  }
  if (op === '=~' || op === '!~') {
    const r = rhs.k === 'expr' ? compileExpr(env, sc, rhs.e) : undefined;
    if (!r || !r.konst) {
      if (r) {
        const rg = r.ev;
        return out(cond(get, (v, ctx) => ereTest(compileEre(toStr(rg(ctx)), true), String(v)), neg));
      }
      env.err(`'${key} ${op}' needs a regular expression string`, pos);
      return out(() => 0);
    }
    try {
      const re = compileEre(toStr(r.konst.v), true);
      return out(cond(get, (v) => ereTest(re, String(v)), neg));
    } catch (err) {
      env.err((err as Error).message, pos);
      return out(() => 0);
    }
  }
  if (key in IP_KEYS) {
    if (rhs.k === 'net') {
      const net = parseNet(rhs.text);
      if (net === null && (rhs.text.includes('/') || /^[\d.]+$/.test(rhs.text) || rhs.text.includes(':'))) {
        env.err(`bad address or network '${rhs.text}'`, pos);
        return out(() => 0);
      }
      if (net === null) return out(cond(get, hostMatcher(env, rhs.text, pos), neg));
      return out(cond(get, (v) => netMatch(net, String(v)), neg));
    }
    const r = compileExpr(env, sc, rhs.e);
    const rg = r.ev;
    return out(cond(get, (v, ctx) => {
      const s = toStr(rg(ctx));
      const net = parseNet(s);
      return net ? netMatch(net, String(v)) : s.toLowerCase() === String(v).toLowerCase();
    }, neg));
  }
  if (key in STR_KEYS) {
    if (rhs.k !== 'expr') {
      env.err(`'${key}' needs a string`, pos);
      return out(() => 0);
    }
    if (!['==', '!=', 'eq', 'ne'].includes(op)) env.err(`'${key}' cannot be compared with '${op}'`, pos);
    const r = compileExpr(env, sc, rhs.e);
    if (r.konst) {
      const want = toStr(r.konst.v).toLowerCase();
      return out(cond(get, (v) => String(v).toLowerCase() === want, neg));
    }
    const rg = r.ev;
    return out(cond(get, (v, ctx) => String(v).toLowerCase() === toStr(rg(ctx)).toLowerCase(), neg));
  }
  // int keys: proto/af accept their symbolic names
  if (rhs.k !== 'expr') {
    env.err(`'${key}' needs a number`, pos);
    return out(() => 0);
  }
  let r: CE;
  const names = key === 'af' || key === 'snd_af' ? AF_NUM : key === 'proto' || key === 'snd_proto' ? PROTO_NUM : null;
  if (names && rhs.e.k === 'str' && rhs.e.v.toLowerCase() in names) {
    const n = names[rhs.e.v.toLowerCase()];
    r = { ev: () => n, async: false, type: 'int', konst: { v: n } };
  }
  else r = compileExpr(env, sc, rhs.e);
  const cmp = INT_CMP[op];
  if (!cmp) {
    env.err(`'${key}' cannot be compared with '${op}'`, pos);
    return out(() => 0);
  }
  const rg = r.ev;
  return out(cond(get, (v, ctx) => cmp(toInt(v as number), toInt(rg(ctx))), neg));
}

const INT_CMP: Record<string, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b,
  eq: (a, b) => a === b,
  ieq: (a, b) => a === b,
  // negated operators test equality; cond() negates
  '!=': (a, b) => a === b,
  ne: (a, b) => a === b,
  ine: (a, b) => a === b,
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
};
