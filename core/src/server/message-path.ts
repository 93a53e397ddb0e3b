/**
 * The path of one received message, kept in one place:
 *   bytes -> netDataIn -> parse -> request: preScript -> request_route -> postScript
 *                                  reply:   modules' onReply (0 = consumed) -> preScript ->
 *                                           onreply_route -> postScript -> stateless forward
 * Nothing awaits unless the compiled route returns a Promise.
 */
import type { Core } from '../core';
import { LogLevel } from '../log';
import { RouteType, type CompiledRoute, type RunCtx } from '../script/types';
import type { ReceiveInfo } from '../transport/types';
import { SipParseError } from '../sip/types';
import { parseMessage, type SipMsg } from '../sip/message';
import { buildBadRequestReply } from '../sip/check';
import { createRunCtx, wasDropped } from '../script/run-ctx';
import { forwardReply } from './reply-forward';
import { RateLimitedLog } from './rate-log';

export class MessagePath {
  private readonly requestRoute: CompiledRoute | undefined;
  private readonly replyRoute: CompiledRoute | undefined;
  private readonly badLog: RateLimitedLog;
  /** tcp_accept_aliases: a Via `alias` on a stream request makes its port an alias of the connection */
  private readonly acceptAliases: boolean;
  /** force_rport=yes: every request is answered and marked as if the script called force_rport() */
  private readonly forceRport: boolean;

  constructor(private readonly core: Core) {
    this.requestRoute = core.script?.route('request', 'main');
    this.replyRoute = core.script?.route('onreply', 'main');
    this.badLog = new RateLimitedLog(core.log, LogLevel.WARN);
    this.acceptAliases = core.globals.get('tcp_accept_aliases') === true;
    this.forceRport = core.globals.get('force_rport') === true;
  }

  /** The transport layer's receive function. */
  readonly receive = (data: Buffer, rcv: ReceiveInfo): void => {
    let msg: SipMsg | undefined;
    try {
      const hook = this.core.hooks.netDataIn;
      const buf = hook.isUsed() ? hook.call(data, rcv) : data;
      if (buf === null || isKeepalive(buf)) return;
      try {
        msg = parseMessage(buf, rcv);
        msg.via();
      } catch (e) {
        msg = undefined;
        this.malformed(buf, rcv, e);
        return;
      }
      if (msg.isRequest) this.request(msg);
      else this.reply(msg);
    } catch (e) {
      // a module's hook (netDataIn, parseError, preScript...) threw: this message only is lost
      this.failed(msg, rcv, e);
    }
  };

  private request(msg: SipMsg): void {
    if (this.forceRport) msg.forceRport = true;
    const ctx = createRunCtx(this.core, msg, RouteType.REQUEST);
    if (this.acceptAliases && msg.rcv.connId !== undefined && msg.via().params.some((p) => p.name.toLowerCase() === 'alias')) {
      this.alias(msg, 0);
    }
    if (this.core.hooks.preScript.call(ctx) === 0) return;
    const route = this.requestRoute;
    const r = route ? route(ctx) : 1;
    if (typeof r === 'number') this.afterRequestRoute(ctx, msg);
    // what runs after an async route is caught too: an unhandled rejection would end the process
    else r.then(() => this.afterRequestRoute(ctx, msg)).then(undefined, (e) => this.failed(msg, msg.rcv, e));
  }

  private afterRequestRoute(ctx: RunCtx, msg: SipMsg): void {
    const forced = ctx.slots.get('core.force_tcp_alias');
    if (forced !== undefined && msg.rcv.connId !== undefined) this.alias(msg, forced as number);
    this.core.hooks.postScript.call(ctx);
  }

  /** The given port, else the top Via's (else 5060), becomes an alias of the request's connection. */
  private alias(msg: SipMsg, port: number): void {
    this.core.sender?.addAlias?.(msg.rcv.connId!, port || msg.via().port || 5060);
  }

  private reply(msg: SipMsg): void {
    const ctx = createRunCtx(this.core, msg, RouteType.ONREPLY);
    if (this.core.modules.onReply(ctx) === 0) return;
    if (this.core.hooks.preScript.call(ctx) === 0) return;
    const route = this.replyRoute;
    if (!route) {
      this.core.hooks.postScript.call(ctx);
      forwardReply(this.core, msg);
      return;
    }
    const r = route(ctx);
    if (typeof r === 'number') this.afterReplyRoute(ctx, msg);
    else r.then(() => this.afterReplyRoute(ctx, msg)).then(undefined, (e) => this.failed(msg, msg.rcv, e));
  }

  private afterReplyRoute(ctx: RunCtx, msg: SipMsg): void {
    this.core.hooks.postScript.call(ctx);
    if (!wasDropped(ctx)) forwardReply(this.core, msg);
  }

  private malformed(buf: Buffer, rcv: ReceiveInfo, e: unknown): void {
    const why = e instanceof Error ? e.message : String(e);
    this.core.hooks.parseError.call(buf, rcv, e);
    this.badLog.write(() => `dropping malformed message from ${rcv.proto}:${rcv.srcIp}:${rcv.srcPort} (${buf.length} bytes): ${why}`);
    // answered 400 only when the request line and the headers a reply copies are readable
    const reply = e instanceof SipParseError ? buildBadRequestReply(buf, rcv, why) : null;
    if (reply) this.core.sender?.send({ proto: rcv.proto, address: rcv.srcIp, port: rcv.srcPort, connId: rcv.connId }, reply);
  }

  private failed(msg: SipMsg | undefined, rcv: ReceiveInfo, e: unknown): void {
    this.core.failures.message++;
    const what = msg === undefined ? 'message' : msg.isRequest ? `${msg.method} request` : `${msg.status} reply`;
    this.core.log.error(`${what} from ${rcv.srcIp}:${rcv.srcPort}: ${this.core.log.describe(e)}`);
  }
}

/** CRLF keep-alives (RFC 5626 3.5.1) and stray line ends carry no message. */
function isKeepalive(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 13 && buf[i] !== 10) return false;
  return true;
}
