/**
 * Stateless forward()/send(): pick the next hop, build the bytes (a new top Via with an RFC 3261
 * branch for forward, the message as received for send), run onsend_route, hand to core.sender.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { SourcePos } from '../errors';
import { buildForward } from '../sip/forward';
import type { SipMsg } from '../sip/message';
import { parseUri } from '../sip/uri';
import type { Destination, Proto } from '../transport/types';
import type { RunCtx } from './types';
import type { Fn } from './env';
import { runOnSend } from './onsend';
import { withForwardFlags } from './send-flags';

export interface ForwardSpec {
  proto?: Proto;
  /** send(): the buffer goes out unchanged */
  readonly send: boolean;
  /** null: take host (and port) from $du, else the R-URI */
  host: string | null;
  port: number;
  portFromUri: boolean;
}

const TLS_PORT = 5061;

function nextHopUri(ctx: RunCtx): string {
  const m = ctx.msg;
  return m.dstUri ?? m.newUri ?? m.ruri;
}

/** Where to send, or a reason why not. */
function destination(ctx: RunCtx, spec: ForwardSpec): Destination | string {
  let host = spec.host;
  let port = spec.port;
  let proto = spec.proto;
  if (host === null || spec.portFromUri) {
    const u = parseUri(nextHopUri(ctx));
    const tp = u.param('transport');
    proto ??= typeof tp === 'string' ? (tp.toLowerCase() as Proto) : u.scheme === 'sips' ? 'tls' : undefined;
    if (host === null) host = u.host;
    if (port === 0) port = u.port;
  }
  proto ??= 'udp';
  if (port === 0) port = proto === 'tls' ? TLS_PORT : 5060;
  let address = host.replace(/^\[|\]$/g, '');
  if (address.toLowerCase() === 'localhost') address = '127.0.0.1';
  // sipr does not resolve names inside forward(); use an IP or the dispatcher/tm path
  if (isIP(address) === 0) return `cannot forward to '${host}': not an IP address`;
  const dst: Destination = { proto, address, port };
  if (ctx.msg.forceSocket) dst.socket = ctx.msg.forceSocket;
  return dst;
}

/** Stateless branch: the same request (a retransmission) always gets the same branch. */
function statelessBranch(msg: SipMsg): string {
  const h = createHash('md5');
  let viaBranch: string | undefined;
  try {
    viaBranch = msg.via().branch;
  } catch {
    viaBranch = undefined;
  }
  if (viaBranch && viaBranch.startsWith('z9hG4bK')) h.update(viaBranch);
  else {
    h.update(msg.callId());
    h.update('\0' + (msg.from().tag ?? ''));
    h.update('\0' + msg.cseq().numText);
    h.update('\0' + msg.ruri);
  }
  h.update('\0' + (msg.newUri ?? ''));
  return 'z9hG4bK' + h.digest('hex').slice(0, 20);
}

export function forwardAction(spec: ForwardSpec, pos: SourcePos): Fn {
  const where = `${pos.file}:${pos.line}:${pos.column}`;
  return (ctx) => {
    const core = ctx.core;
    const sender = core.sender;
    if (!sender) {
      core.log.error(`${where}: ${spec.send ? 'send' : 'forward'}: no transport`);
      return -1;
    }
    let buf: Buffer;
    let dst: Destination | string;
    try {
      dst = destination(ctx, spec);
      if (typeof dst === 'string') {
        core.log.error(`${where}: ${dst}`);
        return -1;
      }
      const msg = ctx.msg as SipMsg;
      if (spec.send || !msg.isRequest) buf = spec.send ? msg.buf : buildForward(msg);
      else {
        const sock = dst.socket ?? sender.socketFor(dst);
        if (!sock) {
          core.log.error(`${where}: no socket to reach ${dst.proto}:${dst.address}:${dst.port}`);
          return -1;
        }
        const advHost = ctx.slots.get('core.advertised_address') as string | undefined;
        const advPort = ctx.slots.get('core.advertised_port') as number | undefined;
        buf = buildForward(msg, {
          via: {
            transport: dst.proto,
            host: advHost ?? sock.advertisedAddress ?? sock.address,
            port: advPort ?? sock.advertisedPort ?? sock.port,
            branch: statelessBranch(msg),
            rport: ctx.slots.get('core.add_local_rport') === true,
          },
          stream: dst.proto !== 'udp',
          socket: sock,
        });
      }
    } catch (err) {
      core.log.error(`${where}: cannot forward: ${(err as Error).message}`);
      return -1;
    }
    if (!runOnSend(ctx, buf, dst)) return 1;
    // after onsend_route, which may set them too
    return sender.send(withForwardFlags(ctx, dst), buf) ? 1 : -1;
  };
}
