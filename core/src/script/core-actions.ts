/**
 * Core actions that need no module (cfg-language.md §7): flags, log, R-URI edits, branches,
 * rport and socket settings, stateless forward()/send().
 * Per-message settings without a SipMessage field live in ctx.slots under `core.*` keys
 * (documented in docs/config.md) so reply builders and forwarders can read them.
 */
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Arg } from '../cfg/ast';
import type { HostItem } from '../cfg/core-params';
import type { SourcePos } from '../errors';
import { LogLevel } from '../log';
import type { SocketInfo, Proto } from '../transport/types';
import { RouteType, type RunCtx } from './types';
import type { Env, Fn } from './env';
import { rewriteUri, type UriPart } from './ruri';
import { forwardAction, type ForwardSpec } from './forward';
import { avpFlagByName } from '../cfg/flag-names';
import { BoundPv } from '../pv/spec';
import { avpFlagOp, serAvpRefOf, storesOf, type SerAvpRef } from '../pv/avp';
import { FORWARD_CLOSE, FORWARD_NO_CONNECT, REPLY_CLOSE, REPLY_NO_CONNECT } from './send-flags';

export interface CoreAction {
  readonly arities: readonly number[];
  /** route types where the action is allowed (default: all but onsend_route) */
  readonly allowed?: number;
  compile(env: Env, args: readonly Arg[], pos: SourcePos): Fn;
}

/** the few actions onsend_route accepts (as kamailio: flags, log, send, connection settings) */
const ONSEND_OK = RouteType.ANY;
export const NOT_ONSEND = RouteType.ANY & ~RouteType.ONSEND;

function text(a: Arg): string {
  return String(a.v);
}

function flagBit(env: Env, a: Arg): number {
  let n: number;
  if (a.k === 'num') n = a.v as number;
  else {
    const named = env.flagNames.get(String(a.v));
    if (named === undefined) {
      env.err(`flag '${a.v}' is not declared (flags NAME: n; must come before its use)`, a.pos);
      return 0;
    }
    n = named;
  }
  if (n < 0 || n > 31) env.err(`flag ${n} out of range 0..31`, a.pos);
  return n;
}

function flagAction(op: 'set' | 'reset' | 'is'): CoreAction {
  return {
    arities: [1],
    allowed: ONSEND_OK,
    compile(env, args) {
      const mask = 1 << flagBit(env, args[0]);
      if (op === 'set') return (ctx) => ((ctx.msg.flags |= mask), 1);
      if (op === 'reset') return (ctx) => ((ctx.msg.flags &= ~mask), 1);
      return (ctx) => (ctx.msg.flags & mask ? 1 : -1);
    },
  };
}

/**
 * The SER AVP named by the first argument of the avp flag actions: `$f.x`, or a string holding one
 * (`"$x[1]"`: an index needs the string form, as in kamailio) or a bare name (`"x"`).
 */
function serAvpArg(env: Env, a: Arg): SerAvpRef | null {
  const t = String(a.v);
  if (a.k === 'pv' || a.k === 'str') {
    try {
      const spec = env.core.pv.parse(t[0] === '$' ? t : '$' + t, 'ser');
      const ref = spec instanceof BoundPv ? serAvpRefOf(spec.def, spec.inner) : null;
      if (ref !== null) return ref;
    } catch {
      // reported below with the argument's position
    }
  }
  env.err(`'${a.v}' is not an AVP (expected $name, $f.name, $tu.name, ...)`, a.pos);
  return null;
}

/** setavpflag / resetavpflag / isavpflagset: op 1 set, 0 reset, -1 test. */
function avpFlagAction(op: 1 | 0 | -1): CoreAction {
  return {
    arities: [2],
    compile(env, args) {
      const ref = serAvpArg(env, args[0]);
      const name = String(args[1].v);
      const bit = avpFlagByName(env.core, name);
      if (bit === undefined) env.err(`avp flag '${name}' is not declared (avpflags NAME; must come before its use)`, args[1].pos);
      if (ref === null || bit === undefined) return () => -1;
      const mask = 1 << bit;
      return (ctx) => (avpFlagOp(storesOf(ctx), ref, mask, op) ? 1 : -1);
    },
  };
}

function uriAction(part: UriPart, arity: number): CoreAction {
  return {
    arities: [arity],
    compile(env, args, pos) {
      const arg = arity ? text(args[0]) : '';
      if ((part === 'strip' || part === 'strip_tail') && !(args[0].k === 'num' || /^\d+$/.test(arg))) env.err(`${part}() needs a number`, args[0].pos);
      return (ctx) => {
        const m = ctx.msg;
        try {
          m.newUri = rewriteUri(m.newUri ?? m.ruri, part, arg);
          return 1;
        } catch (err) {
          ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: cannot rewrite the R-URI: ${(err as Error).message}`);
          return -1;
        }
      };
    },
  };
}

function slotAction(key: string, arities: number[], value: (args: readonly Arg[]) => unknown, allowed?: number): CoreAction {
  return {
    arities,
    allowed,
    compile(_env, args) {
      const v = value(args);
      return (ctx) => (ctx.slots.set(key, v), 1);
    },
  };
}

/** `[proto:]host[:port]` of force_send_socket and forward targets. */
export function parseHostSpec(s: string): { proto?: Proto; host: string; port: number } | null {
  const m = /^(?:(udp|tcp|tls|sctp|ws|wss):)?(\[[^\]]+\]|[^:\[\]]+)(?::(\d+))?$/i.exec(s);
  if (!m) return null;
  return { proto: m[1]?.toLowerCase() as Proto | undefined, host: m[2], port: m[3] ? Number(m[3]) : 0 };
}

const LOG_LEVELS: Record<string, number> = { ...LogLevel, L_ALERT: -5, L_BUG: -4, L_CRIT: -2, L_ERR: -1, L_WARN: 0, L_NOTICE: 1, L_INFO: 2, L_DBG: 3 };

function forwardSpec(proto: Proto | undefined, send: boolean): CoreAction {
  return {
    arities: [0, 1, 2],
    allowed: send ? ONSEND_OK : undefined,
    compile(env, args, pos) {
      const spec: ForwardSpec = { proto, send, host: null, port: 0, portFromUri: false };
      if (args.length > 0) {
        const h = text(args[0]);
        if (h === 'uri:host') spec.host = null;
        else {
          const hs = parseHostSpec(h);
          if (!hs) env.err(`bad destination '${h}'`, args[0].pos);
          else {
            spec.host = hs.host;
            spec.port = hs.port;
            spec.proto ??= hs.proto;
            // a name is resolved once at start, as kamailio does for forward(name)
            if (isIP(hs.host.replace(/^\[|\]$/g, '')) === 0) {
              const at = args[0].pos;
              env.pending.push(
                lookup(hs.host).then(
                  (a) => void (spec.host = a.address),
                  (e: Error) => env.err(`cannot resolve '${hs.host}': ${e.message}`, at),
                ),
              );
            }
          }
        }
      }
      if (args.length > 1) {
        const p = text(args[1]);
        if (p === 'uri:port') spec.portFromUri = true;
        else if (/^\d+$/.test(p)) spec.port = Number(p);
        else env.err(`bad port '${p}'`, args[1].pos);
      }
      return forwardAction(spec, pos);
    },
  };
}

export const CORE_ACTIONS: Record<string, CoreAction> = {
  setflag: flagAction('set'),
  resetflag: flagAction('reset'),
  isflagset: flagAction('is'),
  setavpflag: avpFlagAction(1),
  resetavpflag: avpFlagAction(0),
  isavpflagset: avpFlagAction(-1),
  log: {
    arities: [1, 2],
    allowed: ONSEND_OK,
    compile(env, args) {
      let level = 4;
      if (args.length === 2) {
        const l = args[0];
        const n = l.k === 'num' ? (l.v as number) : LOG_LEVELS[String(l.v)];
        if (n === undefined) env.err(`bad log level '${l.v}'`, l.pos);
        else level = n;
      }
      const msg = text(args[args.length - 1]);
      return (ctx) => (ctx.core.log.log(level, msg), 1);
    },
  },
  exec: {
    arities: [1],
    compile(_env, args, pos) {
      const cmd = text(args[0]);
      // Kamailio waits for the shell; a worker here must not block, so the command runs detached
      return (ctx) => {
        try {
          const child = spawn('/bin/sh', ['-c', cmd], { stdio: 'ignore', detached: true });
          child.on('error', (e) => ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: exec: ${e.message}`));
          child.unref();
        } catch (e) {
          ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: exec: ${(e as Error).message}`);
        }
        return 1;
      };
    },
  },
  error: {
    arities: [2],
    compile(_env, args) {
      const m = `error(${text(args[0])}, ${text(args[1])})`;
      return (ctx) => (ctx.core.log.notice(m), 1);
    },
  },
  rewriteuri: uriAction('uri', 1),
  seturi: uriAction('uri', 1),
  rewritehost: uriAction('host', 1),
  sethost: uriAction('host', 1),
  seth: uriAction('host', 1),
  rewritehostport: uriAction('hostport', 1),
  sethostport: uriAction('hostport', 1),
  sethp: uriAction('hostport', 1),
  rewritehostporttrans: uriAction('hostporttrans', 1),
  sethpt: uriAction('hostporttrans', 1),
  rewriteuser: uriAction('user', 1),
  setuser: uriAction('user', 1),
  setu: uriAction('user', 1),
  rewriteuserpass: uriAction('userpass', 1),
  setuserpass: uriAction('userpass', 1),
  setup: uriAction('userpass', 1),
  rewriteport: uriAction('port', 1),
  setport: uriAction('port', 1),
  setp: uriAction('port', 1),
  prefix: uriAction('prefix', 1),
  strip: uriAction('strip', 1),
  strip_tail: uriAction('strip_tail', 1),
  userphone: uriAction('userphone', 0),
  revert_uri: {
    arities: [0],
    compile: () => (ctx) => ((ctx.msg.newUri = null), 1),
  },
  append_branch: {
    arities: [0, 1, 2],
    compile(env, args) {
      const uri = args.length > 0 ? text(args[0]) : null;
      let q = -1;
      if (args.length > 1) {
        q = Number(text(args[1]));
        if (!(q >= 0 && q <= 1)) env.err(`bad q value '${text(args[1])}'`, args[1].pos);
      }
      return (ctx: RunCtx) => {
        const m = ctx.msg;
        ctx.branches.push({ uri: uri ?? m.newUri ?? m.ruri, dstUri: m.dstUri, path: m.path, q, flags: m.bflags, socket: m.forceSocket });
        return 1;
      };
    },
  },
  force_rport: { arities: [0], compile: () => (ctx) => ((ctx.msg.forceRport = true), 1) },
  add_rport: { arities: [0], compile: () => (ctx) => ((ctx.msg.forceRport = true), 1) },
  add_local_rport: slotAction('core.add_local_rport', [0], () => true),
  set_advertised_address: slotAction('core.advertised_address', [1], (a) => text(a[0])),
  set_advertised_port: slotAction('core.advertised_port', [1], (a) => Number(text(a[0]))),
  force_tcp_alias: slotAction('core.force_tcp_alias', [0, 1], (a) => (a.length ? Number(text(a[0])) : 0)),
  udp_mtu_try_proto: slotAction('core.udp_mtu_try_proto', [1], (a) => text(a[0]).toLowerCase()),
  set_forward_no_connect: slotAction(FORWARD_NO_CONNECT, [0], () => true, ONSEND_OK),
  set_reply_no_connect: slotAction(REPLY_NO_CONNECT, [0], () => true, ONSEND_OK),
  set_forward_close: slotAction(FORWARD_CLOSE, [0], () => true, ONSEND_OK),
  set_reply_close: slotAction(REPLY_CLOSE, [0], () => true, ONSEND_OK),
  force_send_socket: {
    arities: [1],
    compile(env, args, pos) {
      const hs = parseHostSpec(text(args[0]));
      if (!hs) {
        env.err(`bad socket '${text(args[0])}'`, args[0].pos);
        return () => -1;
      }
      if (!isListenAddress(env, hs.proto, hs.host, hs.port)) env.err(`force_send_socket: ${text(args[0])} is not a listen socket`, args[0].pos);
      return (ctx) => {
        const sock = findSocket(ctx, hs.proto ?? 'udp', hs.host, hs.port);
        if (!sock) {
          ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: force_send_socket: no listen socket ${text(args[0])}`);
          return -1;
        }
        ctx.msg.forceSocket = sock;
        return 1;
      };
    },
  },
  forward: forwardSpec(undefined, false),
  forward_udp: forwardSpec('udp', false),
  forward_tcp: forwardSpec('tcp', false),
  forward_tls: forwardSpec('tls', false),
  forward_sctp: forwardSpec('sctp', false),
  send: forwardSpec(undefined, true),
  send_tcp: forwardSpec('tcp', true),
};

/** Whether the config's `listen` entries cover it (no `listen` at all: every local address may be). */
function isListenAddress(env: Env, proto: Proto | undefined, host: string, port: number): boolean {
  const listen = env.core.globals.get('listen') as readonly HostItem[] | undefined;
  if (!listen || listen.length === 0) return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const defPort = Number(env.core.globals.get('port') ?? 5060) || 5060;
  return listen.some(
    (e) =>
      e.host.replace(/^\[|\]$/g, '').toLowerCase() === h &&
      (port === 0 || (e.port || defPort) === port) &&
      (proto === undefined || e.proto === '' || e.proto === proto),
  );
}

/** force_send_socket: one of the open listen sockets (the transport layer lists them in `sockets`). */
function findSocket(ctx: RunCtx, proto: Proto, host: string, port: number): SocketInfo | undefined {
  const address = host.replace(/^\[|\]$/g, '').toLowerCase();
  const sockets = (ctx.core.sender as { sockets?: readonly SocketInfo[] } | null)?.sockets ?? [];
  return sockets.find((s) => s.proto === proto && s.address.toLowerCase() === address && (port === 0 || s.port === port));
}
