/**
 * record_route(), record_route_preset() and add_rr_param(). The Record-Route goes on top of the
 * header list. When the request leaves through another socket than it came in on (address, port
 * or transport differ) and enable_double_rr is on, two are added, outbound first, both with
 * `;r2=on`, so each side of the proxy sees an address it can reach.
 *
 * As in Kamailio, the outbound socket is the one the request is actually sent through: the
 * Record-Route text is a send-time change (a function of the socket buildForward is given). A
 * build without a socket (msg_apply_changes) uses the socket record_route() expected then
 * (force_send_socket, $du or the R-URI).
 */
import { parseUri, type ChangeText, type Destination, type Proto, type RunCtx, type SendInfo, type SipMsg, type SocketInfo } from '@sipr/core';
import { recorded, settings, type RecordState } from './state';

function state(msg: SipMsg): RecordState {
  let s = recorded.get(msg);
  if (!s) {
    s = { params: '' };
    recorded.set(msg, s);
  }
  return s;
}

function defaultPort(proto: string): number {
  return proto === 'tls' || proto === 'wss' ? 5061 : 5060;
}

/** `host[:port][;transport=x]` as the socket is announced (advertised address/port first). */
export function socketHostport(s: SocketInfo): string {
  const host0 = s.advertisedAddress ?? s.address;
  const host = host0.includes(':') && !host0.startsWith('[') ? `[${host0}]` : host0;
  const port = s.advertisedPort ?? s.port;
  const p = port && port !== defaultPort(s.proto) ? `:${port}` : '';
  return `${host}${p}${s.proto === 'udp' ? '' : `;transport=${s.proto}`}`;
}

/** The socket the request will most likely leave through, from what is known now. */
function outboundSocket(ctx: RunCtx): SocketInfo | undefined {
  const msg = ctx.msg;
  if (msg.forceSocket) return msg.forceSocket;
  const sender = ctx.core.sender;
  if (!sender) return undefined;
  try {
    const u = parseUri(msg.dstUri ?? msg.newUri ?? msg.ruri);
    const tp = u.param('transport');
    const proto = (typeof tp === 'string' ? tp.toLowerCase() : u.scheme === 'sips' ? 'tls' : 'udp') as Proto;
    const dst: Destination = { proto, address: u.host.replace(/^\[|\]$/g, ''), port: u.port || defaultPort(proto) };
    return sender.socketFor(dst);
  } catch {
    return undefined;
  }
}

const sameSocket = (a: SocketInfo, b: SocketInfo) =>
  a === b || (a.proto === b.proto && a.address === b.address && a.port === b.port && a.advertisedAddress === b.advertisedAddress);

function fromTag(msg: SipMsg): string {
  try {
    return msg.from().tag ?? '';
  } catch {
    return '';
  }
}

function username(msg: SipMsg): string {
  try {
    const user = msg.uri().user || (msg.newUri ? parseUri(msg.newUri).user : '');
    return user ? `${user}@` : '';
  } catch {
    return '';
  }
}

/** The parts both record_route functions share: `user@`, `;ftag=` and `;lr` as the settings ask. */
function entryParts(msg: SipMsg): { user: string; ftag: string; lr: string } {
  const tag = settings.appendFromtag ? fromTag(msg) : '';
  return {
    user: settings.addUsername ? username(msg) : '',
    ftag: tag ? `;ftag=${tag}` : '',
    lr: settings.enableFullLr ? ';lr=on' : ';lr',
  };
}

function insert(msg: SipMsg, s: RecordState, build: (params: string) => ChangeText): void {
  if (s.change) msg.dropChange(s.change);
  s.build = build;
  s.change = msg.replaceRange(msg.headersStart, msg.headersStart, build(s.params));
}

export function recordRoute(ctx: RunCtx, extra = ''): number {
  const msg = ctx.msg as SipMsg;
  if (!msg.isRequest) return -1;
  const { user, ftag, lr } = entryParts(msg);
  const inbound = msg.rcv.socket;
  const one = (sock: SocketInfo, r2: string, params: string) =>
    `Record-Route: <sip:${user}${socketHostport(sock)}${r2}${lr}${ftag}${extra}${params}>\r\n`;
  if (!settings.enableDoubleRr) {
    insert(msg, state(msg), (params) => one(inbound, '', params));
    return 1;
  }
  const expected = outboundSocket(ctx);
  insert(msg, state(msg), (params) => (send: SendInfo) => {
    const out = send.socket ?? expected;
    return out !== undefined && !sameSocket(inbound, out) ? one(out, ';r2=on', params) + one(inbound, ';r2=on', params) : one(inbound, '', params);
  });
  return 1;
}

/** record_route_preset(addr[, addr2]): the given address(es) instead of the sockets'. */
export function recordRoutePreset(ctx: RunCtx, first: string, second?: string): number {
  const msg = ctx.msg as SipMsg;
  if (!msg.isRequest) return -1;
  const { user, ftag, lr } = entryParts(msg);
  const r2 = second !== undefined ? ';r2=on' : '';
  const strip = (a: string) => (a.toLowerCase().startsWith('sip:') ? a.slice(4) : a);
  const one = (addr: string, params: string) => `Record-Route: <sip:${user}${strip(addr)}${ftag}${lr}${r2}${params}>\r\n`;
  insert(msg, state(msg), (params) => one(first, params) + (second !== undefined ? one(second, params) : ''));
  return 1;
}

/** add_rr_param(";name=value"): before or after record_route(), for this request. */
export function addRrParam(ctx: RunCtx, param: string): number {
  const msg = ctx.msg as SipMsg;
  if (!msg.isRequest) return -1;
  const s = state(msg);
  s.params += param.startsWith(';') ? param : `;${param}`;
  if (s.build) insert(msg, s, s.build);
  return 1;
}
