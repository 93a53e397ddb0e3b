/**
 * The transaction engine: creates and matches transactions, forwards branches, absorbs and
 * generates retransmissions, handles CANCEL/ACK, picks the reply sent upstream and runs the
 * failure/reply/branch routes. Timers are handles on core.timer reused for the life of a branch.
 */
import { RouteType, withForwardFlags, withReplyFlags, type Core, type RunCtx, type SipMessage, type SipMsg, type Destination, type Branch, type SocketInfo, type Change, type ConnectFailFn } from '@sipr/core';
import { defaultConfig, type TmConfig } from './config';
import { Transaction, UacBranch } from './cell';
import { TransactionTable } from './table';
import { tmHash, branchId, parseBranchId, randomHex, MAGIC_COOKIE } from './ids';
import { pickBranch } from './select';
import { TmStats } from './stats';
import { makeCtx, runRoute, currentTransaction, dropped, SLOT, SLOT_BRANCH, SL_REPLIED, SLOT_PENDING, SLOT_HOOKS, SLOT_CONTACTS, type PendingHooks } from './ctx';
import type { TmWire } from './wire';

/** Most branches one transaction may have (Kamailio's MAX_BRANCHES). */
export const MAX_BRANCHES = 12;

/** Per-message settings made before the transaction exists. */
export interface PendingSettings {
  frInv?: number;
  fr?: number;
  t1?: number;
  t2?: number;
  autoInv100?: boolean;
  maxInvLifetime?: number;
  maxNoninvLifetime?: number;
}

/** t_relay_to flags: no automatic 100 for an INVITE; no error reply from tm when the relay fails. */
export const RELAY_NO_100 = 0x01;
export const RELAY_NO_INTERNAL_REPLY = 0x02;

/** Result codes of newTransaction. */
export const NEW = 1;
export const ABSORBED = 0;

const isUdp = (d: Destination) => d.proto === 'udp';
const NO_CHANGES: readonly Change[] = Object.freeze([]);
/** dst leaving through socket; a copy unless it says so already (next hops from fixups are shared). */
const onSocket = (dst: Destination, socket: SocketInfo): Destination => (dst.socket === socket ? dst : { ...dst, socket });

export class Tm {
  readonly cfg: TmConfig = defaultConfig();
  readonly table = new TransactionTable();
  readonly stats = new TmStats();
  private labelSeq = 0;

  constructor(readonly core: Core, readonly wire: TmWire) {}

  current(ctx: RunCtx): Transaction | null {
    return currentTransaction(ctx);
  }

  /** Branch index of the reply being processed (onreply_route), -1 elsewhere. */
  replyBranch(ctx: RunCtx): number {
    return (ctx.slots.get(SLOT_BRANCH) as number | undefined) ?? -1;
  }

  // ---- request side -------------------------------------------------------------------------

  /**
   * t_newtran: 1 created, 0 the request was a retransmission (last reply resent) or an ACK for a
   * negative reply (absorbed), -1 a transaction exists already for this message.
   */
  newTransaction(ctx: RunCtx): number {
    if (this.current(ctx)) return -1;
    const msg = ctx.msg;
    const found = this.table.lookupRequest(msg, this.cfg);
    if (msg.method === 'ACK') {
      if (this.absorbAck(msg, found)) return ABSORBED;
      if (found) ctx.slots.set(SLOT, found);
      return NEW;
    }
    if (found) {
      if (found.uasReply) this.sendUpstream(found, found.uasReply);
      return ABSORBED;
    }
    this.create(ctx);
    return NEW;
  }

  private create(ctx: RunCtx): Transaction {
    const msg = ctx.msg;
    const t = new Transaction(tmHash(msg.callId(), msg.cseq().numText), this.nextLabel(), msg, this.cfg, {
      uasDst: withReplyFlags(ctx, this.wire.replyDestination(msg)),
      stores: ctx.stores,
      local: false,
      now: this.core.timer.now(),
    });
    this.applyPending(ctx, t);
    if (msg.method === 'CANCEL') t.invite = this.table.lookupInvite(msg, this.cfg) ?? null;
    this.insert(t);
    this.stats.uasTransactions++;
    ctx.slots.set(SLOT, t);
    return t;
  }

  private nextLabel(): number {
    this.labelSeq = (this.labelSeq + 1) >>> 0 || 1;
    return this.labelSeq;
  }

  private insert(t: Transaction): void {
    this.table.add(t);
    t.life = this.core.timer.setTimeout(() => this.lifetimeExpired(t), t.timers.maxLifetime);
  }

  private applyPending(ctx: RunCtx, t: Transaction): void {
    const h = ctx.slots.get(SLOT_HOOKS) as PendingHooks | undefined;
    if (h) {
      t.onFailure = h.onFailure;
      t.onReply = h.onReply;
      t.onBranch = h.onBranch;
      ctx.slots.delete(SLOT_HOOKS);
    }
    const groups = ctx.slots.get(SLOT_CONTACTS) as Branch[][] | undefined;
    if (groups) t.contactGroups = groups;
    const p = ctx.slots.get(SLOT_PENDING) as PendingSettings | undefined;
    if (!p) return;
    if (p.frInv) t.timers.frInvTimer = p.frInv;
    if (p.fr) t.timers.frTimer = p.fr;
    if (p.t1) t.timers.t1 = p.t1;
    if (p.t2) t.timers.t2 = p.t2;
    if (p.autoInv100 !== undefined) t.autoInv100 = p.autoInv100;
    const life = t.isInvite ? p.maxInvLifetime : p.maxNoninvLifetime;
    if (life) t.timers.maxLifetime = life;
  }

  /** t_lookup_request: the transaction of this request, made current. */
  lookup(ctx: RunCtx): Transaction | null {
    const t = this.current(ctx) ?? this.table.lookupRequest(ctx.msg, this.cfg) ?? null;
    if (t) ctx.slots.set(SLOT, t);
    return t;
  }

  /**
   * t_check_trans. Request: retransmission -> last reply resent, 0; ACK for a negative reply ->
   * absorbed, 0; ACK for a 2xx or CANCEL whose INVITE exists -> 1; else -1. Reply: 1 if matched.
   */
  checkTrans(ctx: RunCtx): number {
    const msg = ctx.msg;
    if (!msg.isRequest) {
      const id = parseBranchId(msg.via().branch);
      return id && this.table.byId(id.hash, id.label) ? 1 : -1;
    }
    if (msg.method === 'CANCEL') return this.table.lookupInvite(msg, this.cfg) ? 1 : -1;
    const t = this.table.lookupRequest(msg, this.cfg);
    if (!t) return msg.method === 'ACK' && this.absorbAck(msg, undefined) ? 0 : -1;
    if (msg.method === 'ACK') return this.absorbAck(msg, t) ? 0 : 1;
    if (t.uasReply) this.sendUpstream(t, t.uasReply);
    return 0;
  }

  /** t_lookup_cancel: the INVITE a CANCEL cancels, made current (so $T_* read it). */
  lookupCancel(ctx: RunCtx): Transaction | null {
    if (ctx.msg.method !== 'CANCEL') return null;
    const inv = this.table.lookupInvite(ctx.msg, this.cfg) ?? null;
    if (inv) ctx.slots.set(SLOT, inv);
    return inv;
  }

  /** t_relay_cancel: a CANCEL whose INVITE exists is relayed here (0: the script stops); else 1. */
  relayCancelOnly(ctx: RunCtx): number {
    if (ctx.msg.method !== 'CANCEL' || !this.table.lookupInvite(ctx.msg, this.cfg)) return 1;
    return this.relay(ctx) > 0 ? 0 : -1;
  }

  /** t_save_lumps: the request's changes as they are now are what failure_route starts from. */
  saveLumps(t: Transaction): void {
    const changes = (t.req as SipMsg).changes;
    t.savedChanges = changes.length === 0 ? NO_CHANGES : changes.slice();
  }

  /** t_is_expired: the transaction outlived its max lifetime. */
  isExpired(t: Transaction): boolean {
    return this.core.timer.now() - t.created >= t.timers.maxLifetime;
  }

  /** t_retransmit_reply: send the last reply again. */
  retransmitReply(ctx: RunCtx): number {
    const t = this.lookup(ctx);
    if (!t || !t.uasReply) return -1;
    return this.sendUpstream(t, t.uasReply) ? 1 : -1;
  }

  /** t_release: done with the transaction (it is kept for wt_timer like any completed one). */
  release(ctx: RunCtx): number {
    const t = this.current(ctx);
    if (!t) return -1;
    t.stopTimers();
    this.complete(t);
    return 1;
  }

  /**
   * t_relay([dst]): create the transaction if needed and forward the request to the R-URI (or
   * dst) and every appended branch. >0 ok, <0 error; retransmissions return 1 having done nothing.
   */
  relay(ctx: RunCtx, forced?: Destination, flags = 0): number {
    const msg = ctx.msg;
    if (msg.method === 'ACK') return this.relayAck(ctx, forced);
    let t = this.current(ctx);
    if (!t) {
      if (this.newTransaction(ctx) === ABSORBED) return 1;
      t = this.current(ctx)!;
    }
    if (flags & RELAY_NO_100) t.autoInv100 = false;
    if (flags & RELAY_NO_INTERNAL_REPLY) t.noInternalReply = true;
    if (t.method === 'CANCEL') {
      if (t.invite) return this.relayCancel(t, t.invite);
      if (this.cfg.unmatchedCancel !== 0) {
        // unmatched_cancel 1/2: no transaction for it after all; stateless forward or drop.
        ctx.slots.delete(SLOT);
        this.delete(t);
        return this.cfg.unmatchedCancel === 1 ? this.relayStateless(ctx, forced) : 0;
      }
    }
    if (t.canceled || t.got6xx) return -1;
    if (t.isInvite && t.autoInv100 && t.uasStatus === 0 && !t.inFailureRoute) {
      this.replyLocal(t, 100, this.cfg.autoInv100Reason);
    }
    return this.forwardBranches(ctx, t, forced);
  }

  /**
   * t_replicate: send a copy of the request (R-URI unchanged) to dst, statefully; its replies are
   * absorbed here, nothing goes upstream, no 100 is sent.
   */
  replicate(ctx: RunCtx, dst: Destination): number {
    if (ctx.msg.method === 'ACK' || ctx.msg.method === 'CANCEL') return -1;
    let t = this.current(ctx);
    if (!t) {
      if (this.newTransaction(ctx) === ABSORBED) return 1;
      t = this.current(ctx)!;
    }
    t.replicate = true;
    const msg = ctx.msg;
    const target: Branch = { uri: msg.newUri ?? msg.ruri, dstUri: null, path: msg.path, q: -1, flags: msg.bflags, socket: msg.forceSocket };
    t.relaying = true;
    const ok = this.addBranch(ctx, t, target, dst);
    t.relaying = false;
    if (!ok) this.checkCompletion(t);
    return ok ? 1 : -1;
  }

  /** ACKs for 2xx are end to end: forwarded statelessly, never part of a transaction. */
  private relayAck(ctx: RunCtx, forced?: Destination): number {
    if (this.absorbAck(ctx.msg, this.table.lookupRequest(ctx.msg, this.cfg))) return 0;
    return this.relayStateless(ctx, forced);
  }

  /**
   * An ACK ends here when it acknowledges a negative reply of ours (same transaction) or a 2xx
   * we generated (its own transaction, found by our To-tag); it stops the reply retransmissions.
   */
  private absorbAck(ack: SipMessage, found: Transaction | undefined): boolean {
    const t = found && found.uasStatus >= 300 ? found : this.table.lookupLocal2xx(ack);
    if (!t) return false;
    this.ackReceived(t);
    return true;
  }

  private relayStateless(ctx: RunCtx, forced?: Destination): number {
    const msg = ctx.msg;
    const uri = msg.newUri ?? msg.ruri;
    const hop = forced ?? this.wire.resolve(msg.dstUri ?? uri);
    if (!hop) return -1;
    const dst = withForwardFlags(ctx, hop);
    const socket = msg.forceSocket ?? this.core.sender?.socketFor(dst);
    if (!socket) return -1;
    const buf = this.wire.forward(msg, uri, socket, statelessBranch(msg));
    return this.send(msg.forceSocket ? onSocket(dst, socket) : dst, buf, socket) ? 1 : -1;
  }

  private forwardBranches(ctx: RunCtx, t: Transaction, forced?: Destination): number {
    const msg = ctx.msg;
    if (!t.savedChanges && !t.inFailureRoute) this.saveLumps(t);
    t.prevSetStart = t.setStart;
    t.setStart = t.branches.length;
    const targets: Branch[] = [{
      uri: msg.newUri ?? msg.ruri, dstUri: msg.dstUri, path: msg.path, q: -1, flags: msg.bflags, socket: msg.forceSocket,
    }];
    for (const b of ctx.branches) targets.push(b);
    ctx.branches = [];
    let sent = 0;
    t.relaying = true;
    for (const target of targets) {
      if (t.branches.length >= MAX_BRANCHES) {
        this.core.log.error(`tm: too many branches for ${t.callId}`);
        break;
      }
      if (this.addBranch(ctx, t, target, forced)) sent++;
    }
    t.onBranch = null;
    t.relaying = false;
    return sent === 0 ? -1 : 1;
  }

  /** One branch: the target's URIs in place, branch_route, then send. */
  private addBranch(ctx: RunCtx, t: Transaction, target: Branch, forced?: Destination): boolean {
    const msg = ctx.msg;
    const saved = { newUri: msg.newUri, dstUri: msg.dstUri, bflags: msg.bflags, socket: msg.forceSocket };
    msg.newUri = target.uri;
    msg.dstUri = target.dstUri;
    msg.bflags = target.flags;
    msg.forceSocket = target.socket;
    try {
      if (t.onBranch) {
        // header edits made in branch_route belong to that branch only
        const changes = (msg as SipMsg).changes.slice();
        try {
          return this.runBranchRoute(ctx, t) && this.sendBranch(ctx, t, forced);
        } finally {
          (msg as SipMsg).changes = changes;
        }
      }
      return this.sendBranch(ctx, t, forced);
    } finally {
      msg.newUri = saved.newUri;
      msg.dstUri = saved.dstUri;
      msg.bflags = saved.bflags;
      msg.forceSocket = saved.socket;
    }
  }

  /** Build, onsend, send, start the timers of one branch for the message's current targets. */
  private sendBranch(ctx: RunCtx, t: Transaction, forced?: Destination): boolean {
    const msg = ctx.msg;
    const uri = msg.newUri ?? msg.ruri;
    const hop = forced ?? this.wire.resolve(msg.dstUri ?? uri);
    const socket = hop ? msg.forceSocket ?? this.core.sender?.socketFor(hop) : undefined;
    // a forced socket travels with the branch (retransmissions, CANCEL, ACK); without one the
    // transport picks the same socket again by itself
    const dst = hop && withForwardFlags(ctx, socket && msg.forceSocket ? onSocket(hop, socket) : hop);
    const b = new UacBranch(t.branches.length, uri, dst, msg.bflags);
    t.branches.push(b);
    if (!dst || !socket) {
      this.core.log.error(`tm: cannot reach ${msg.dstUri ?? uri}`);
      this.branchFinal(t, b, 478, null);
      return false;
    }
    const buf = this.wire.forward(msg, uri, socket, branchId(t.hash, t.label, b.idx));
    if (!this.send(dst, buf, socket, ctx, isUdp(dst) ? undefined : this.onConnectFail(t, b))) {
      this.branchFinal(t, b, 477, null);
      return false;
    }
    b.buf = buf;
    b.socket = socket;
    this.startBranchTimers(t, b);
    return true;
  }

  /** branch_route runs synchronously (it decides whether the branch is sent); drop discards it. */
  private runBranchRoute(ctx: RunCtx, t: Transaction): boolean {
    const route = this.core.script?.route('branch', t.onBranch!);
    if (!route) return true;
    const prev = { type: ctx.routeType, flags: ctx.runFlags, depth: ctx.depth };
    ctx.routeType = RouteType.BRANCH;
    ctx.runFlags = 0;
    ctx.depth = 0;
    try {
      const r = route(ctx);
      if (typeof r !== 'number') {
        this.core.log.error(`tm: branch_route[${t.onBranch}] may not be asynchronous`);
        return true;
      }
      return !dropped(ctx);
    } finally {
      ctx.routeType = prev.type;
      ctx.runFlags = prev.flags;
      ctx.depth = prev.depth;
    }
  }

  /**
   * A stream connect fails after t_relay returned: the branch failed to send after all, so it
   * ends at once with 477 (reply selection or failure_route go on) instead of waiting for fr_timer.
   */
  private onConnectFail(t: Transaction, b: UacBranch): ConnectFailFn {
    return (reason) => {
      if (b.final) return;
      this.core.log.error(`tm: branch ${b.idx} to ${b.uri}: cannot send (${reason})`);
      this.branchFinal(t, b, 477, null);
    };
  }

  /** dst carries the socket when the script forced one; otherwise the transport picks `socket` again. */
  private send(dst: Destination, buf: Buffer, socket: SocketInfo, ctx?: RunCtx, onConnectFail?: ConnectFailFn): boolean {
    const sender = this.core.sender;
    if (!sender) return false;
    if (ctx && this.core.hooks.onSend.isUsed()) {
      ctx.send = { buf, dst: onSocket(dst, socket) };
      const ok = this.core.hooks.onSend.call(ctx);
      ctx.send = undefined;
      if (ok === false) return false;
    }
    return sender.send(dst, buf, onConnectFail);
  }

  private resend(b: UacBranch, buf: Buffer): void {
    if (b.dst) this.core.sender?.send(b.dst, buf);
  }

  private startBranchTimers(t: Transaction, b: UacBranch): void {
    const timer = this.core.timer;
    if (b.dst && isUdp(b.dst)) {
      b.retrInterval = t.timers.t1;
      b.retr = timer.create(() => this.retransmitBranch(t, b));
      b.retr.start(b.retrInterval);
    }
    b.fr = timer.create(() => this.branchTimeout(t, b));
    b.fr.start(t.timers.frTimer);
  }

  /** The branch's request as sent, parsed (CANCEL and ACK copy its Via, From, To, Route). */
  private sentRequest(b: UacBranch): SipMessage {
    if (!b.sent) {
      const s = b.socket!;
      const d = b.dst!;
      b.sent = this.wire.parse(b.buf!, { srcIp: s.address, srcPort: s.port, dstIp: d.address, dstPort: d.port, proto: s.proto, af: s.af, socket: s });
    }
    return b.sent;
  }

  private retransmitBranch(t: Transaction, b: UacBranch): void {
    if (b.final || !b.buf) return;
    this.resend(b, b.buf);
    // RFC 3261 would let INVITE intervals grow without bound; tm caps them at T2 as for non-INVITE.
    b.retrInterval = b.gotProvisional ? t.timers.t2 : Math.min(b.retrInterval * 2, t.timers.t2);
    b.retr!.start(b.retrInterval);
  }

  private branchTimeout(t: Transaction, b: UacBranch): void {
    if (b.final) return;
    b.retr?.cancel();
    if (t.isInvite && b.gotProvisional && b.buf) this.sendCancel(t, b);
    if (t.isInvite && !this.cfg.noisyCtimer && !b.gotProvisional && t.branches.length === 1 && !t.onFailure && !t.local) {
      // noisy_ctimer=0: a lone INVITE branch that never answered is dropped without a 408.
      b.status = 408;
      b.local = true;
      this.complete(t);
      return;
    }
    this.branchFinal(t, b, 408, null);
  }

  // ---- replies from downstream --------------------------------------------------------------

  /**
   * Called for every received reply (module onReply). Returns 0 when tm took it (matched),
   * 1 when it belongs to no transaction and the core may forward it statelessly.
   */
  onReply(ctx: RunCtx): number {
    const rpl = ctx.msg;
    let id;
    try {
      id = parseBranchId(rpl.via().branch);
    } catch {
      return 1;
    }
    const t = id ? this.table.byId(id.hash, id.label) : undefined;
    const b = t?.branches[id!.branch];
    if (!t || !b) return this.unmatchedReply(ctx);
    const method = rpl.cseq().method;
    this.stats.receivedReplies++;
    if (method === 'CANCEL' && t.isInvite) {
      if (rpl.status >= 200) b.cancelRetr?.cancel();
      return 0;
    }
    if (method !== t.method) return this.unmatchedReply(ctx);
    this.branchReply(ctx, t, b, rpl);
    return 0;
  }

  private unmatchedReply(ctx: RunCtx): number {
    const name = this.cfg.onSlReply;
    if (!name) return 1;
    let consumed = false;
    runRoute(this.core, 'onreply', name, ctx, () => { consumed = dropped(ctx); });
    return consumed ? 0 : 1;
  }

  private branchReply(ctx: RunCtx, t: Transaction, b: UacBranch, rpl: SipMessage): void {
    const code = rpl.status;
    if (b.final) {
      if (!t.isInvite || code < 200) return;
      if (code >= 300) {
        // retransmitted negative reply: our ACK was lost
        if (b.buf && !b.local) this.resend(b, this.wire.ackNon2xx(this.sentRequest(b), rpl));
        return;
      }
      // 2xx retransmissions, and a 2xx after we gave up on the branch, still go end to end.
      if (b.local) {
        b.local = false;
        b.status = code;
        b.reply = rpl;
      }
      this.relay2xx(t, rpl, code);
      return;
    }
    if (code >= 200) {
      b.stopTimers();
      if (t.isInvite && code >= 300 && b.buf) this.resend(b, this.wire.ackNon2xx(this.sentRequest(b), rpl));
    } else {
      const first = !b.gotProvisional;
      b.gotProvisional = true;
      if (t.isInvite) b.retr?.cancel();
      if (b.cancelPending) {
        b.cancelPending = false;
        this.sendCancel(t, b);
      }
      if (t.isInvite && (first || this.cfg.restartFrOnEachReply)) b.fr?.start(t.timers.frInvTimer);
    }
    if (t.onReply) {
      const rctx = makeCtx(this.core, rpl, RouteType.ONREPLY, t.stores, t);
      rctx.slots.set(SLOT_BRANCH, b.idx);
      runRoute(this.core, 'onreply', t.onReply, rctx, () => this.afterReplyRoute(t, b, rpl, code, dropped(rctx)));
      return;
    }
    this.afterReplyRoute(t, b, rpl, code, false);
  }

  private afterReplyRoute(t: Transaction, b: UacBranch, rpl: SipMessage, code: number, drop: boolean): void {
    if (code < 200) {
      if (drop || code === 100) return;
      b.status = Math.max(b.status, code);
      if (t.local) t.onLocalReply?.(t, code, rpl);
      else if (t.uasStatus < 200 && !t.replicate) this.relayUpstream(t, rpl, code);
      return;
    }
    b.status = code;
    b.reply = rpl;
    if (code < 300) {
      // 2xx: relayed at once (every 2xx of an INVITE, from any branch), the others are canceled.
      this.relay2xx(t, rpl, code);
      if (t.isInvite) this.cancelPending(t);
      this.complete(t);
      return;
    }
    if (code >= 600 && t.isInvite && !t.disable6xx) {
      t.got6xx = true;
      this.cancelPending(t);
    }
    this.checkCompletion(t);
  }

  private relay2xx(t: Transaction, rpl: SipMessage, code: number): void {
    if (t.replicate) return;
    if (t.local) t.onLocalReply?.(t, code, rpl);
    else if (t.uasStatus < 200) this.relayUpstream(t, rpl, code);
    else {
      this.stats.relayedReplies++;
      this.sendUpstream(t, this.wire.relayReply(rpl, !isUdp(t.uasDst)));
    }
  }

  /** A branch got its final status from here (timeout, unreachable, canceled without provisional). */
  private branchFinal(t: Transaction, b: UacBranch, code: number, rpl: SipMessage | null): void {
    b.stopTimers();
    b.status = code;
    b.reply = rpl;
    b.local = rpl === null;
    this.checkCompletion(t);
  }

  /** When no branch is pending any more: failure_route, or relay the winning reply. */
  private checkCompletion(t: Transaction): void {
    if (t.pending() > 0 || t.inFailureRoute || t.relaying || t.completed) return;
    if (t.uasStatus >= 200) {
      this.complete(t);
      return;
    }
    const win = pickBranch(t.branches);
    t.pickedBranch = win;
    if (t.onFailure && !t.local) {
      this.runFailureRoute(t);
      return;
    }
    this.relayWinner(t);
  }

  private runFailureRoute(t: Transaction): void {
    const name = t.onFailure!;
    t.onFailure = null;
    const win = t.branches[t.pickedBranch];
    this.runOnRequest(t, 'failure', name, win ? win.flags : null);
  }

  /**
   * Run a route on the transaction's request the way failure_route runs (also t_continue): the
   * transaction's flags, the given branch flags; URI and header edits do not outlive the route.
   * Afterwards the transaction moves on: new branches pending, or the reply picked now goes out.
   */
  private runOnRequest(t: Transaction, kind: 'failure' | 'request', name: string, bflags: number | null): void {
    t.inFailureRoute = true;
    const req = t.req as SipMsg;
    const saved = { newUri: req.newUri, dstUri: req.dstUri, flags: req.flags, bflags: req.bflags, changes: req.changes };
    req.changes = (t.savedChanges ?? req.changes).slice();
    req.flags = t.msgFlags;
    if (bflags !== null) req.bflags = bflags;
    const ctx = makeCtx(this.core, req, RouteType.FAILURE, t.stores, t);
    const before = t.branches.length;
    runRoute(this.core, kind, name, ctx, () => {
      t.inFailureRoute = false;
      this.applyDropMode(t, before);
      t.msgFlags = req.flags;
      req.newUri = saved.newUri;
      req.dstUri = saved.dstUri;
      req.flags = saved.flags;
      req.bflags = saved.bflags;
      req.changes = saved.changes;
      if (t.pending() > 0) return;
      if (t.uasStatus >= 200) {
        this.complete(t);
        return;
      }
      // the new branches may all have failed at once: pick again among what competes now
      t.pickedBranch = pickBranch(t.branches);
      this.relayWinner(t);
    });
  }

  private relayWinner(t: Transaction): void {
    const win = t.branches[t.pickedBranch];
    if (t.replicate) {
      this.complete(t);
      return;
    }
    if (t.local) {
      t.onLocalReply?.(t, win ? win.status : 500, win?.reply ?? null);
      this.complete(t);
      return;
    }
    if (!win) {
      this.replyLocal(t, 500, 'Server Internal Error');
      return;
    }
    if (!win.reply || win.local) {
      this.replyLocal(t, win.status, localReason(win.status));
      return;
    }
    if ((win.status === 401 || win.status === 407) && this.cfg.aggregateChallenges) this.relayChallenges(t, win);
    else this.relayUpstream(t, win.reply, win.status);
  }

  /** A 401/407 picked among several: it carries the challenges of every 401/407 branch. */
  private relayChallenges(t: Transaction, win: UacBranch): void {
    let extra = '';
    for (const b of t.branches) {
      if (b === win || b.dropped || !b.reply || (b.status !== 401 && b.status !== 407)) continue;
      for (const name of ['www-authenticate', 'proxy-authenticate']) {
        for (const h of b.reply.headerAll(name)) extra += `${h.name}: ${h.value}\r\n`;
      }
    }
    const buf = this.wire.relayReply(win.reply!, !isUdp(t.uasDst));
    this.stats.relayedReplies++;
    if (!extra) {
      this.setUasReply(t, win.status, buf, false);
      return;
    }
    const end = buf.indexOf('\r\n\r\n') + 2;
    this.setUasReply(t, win.status, Buffer.concat([buf.subarray(0, end), Buffer.from(extra, 'latin1'), buf.subarray(end)]), false);
  }

  /** Send a received reply upstream (top Via removed). */
  private relayUpstream(t: Transaction, rpl: SipMessage, code: number): void {
    const buf = this.wire.relayReply(rpl, !isUdp(t.uasDst));
    this.stats.relayedReplies++;
    this.setUasReply(t, code, buf, false);
  }

  /** Reply from here (t_reply, 100 Trying, 408/487/500 made up by tm). */
  replyLocal(t: Transaction, code: number, reason: string): boolean {
    if (t.local) return false;
    if (t.uasStatus >= 200 && !(code >= 200 && code < 300 && t.uasStatus < 300 && t.isInvite)) return false;
    const buf = this.wire.reply(t.req, code, reason, code > 100 ? t.toTag : null);
    this.stats.localReplies++;
    return this.setUasReply(t, code, buf, code >= 200 && code < 300);
  }

  private setUasReply(t: Transaction, code: number, buf: Buffer, local: boolean): boolean {
    const ok = this.sendUpstream(t, buf);
    if (t.uasStatus < 200 || code >= 200) {
      t.uasStatus = code;
      t.uasReply = buf;
    }
    if (code < 200) {
      t.sentProvisional = true;
      return ok;
    }
    this.stats.final(code);
    t.local2xx = local && t.isInvite;
    if (t.local2xx) this.table.addLocal2xx(t);
    // INVITE: negative replies (UDP) and local 2xx (any transport) repeat until the ACK arrives.
    if (t.isInvite && (t.local2xx || code >= 300 && isUdp(t.uasDst))) {
      t.uasRetrInterval = t.timers.t1;
      t.uasRetr = this.core.timer.create(() => this.retransmitUasReply(t));
      t.uasRetr.start(t.uasRetrInterval);
    }
    if (t.isInvite) this.cancelPending(t);
    if (t.pending() === 0 && !t.inFailureRoute && !t.relaying) this.complete(t);
    return ok;
  }

  private retransmitUasReply(t: Transaction): void {
    if (t.ackReceived || !t.uasReply) return;
    this.sendUpstream(t, t.uasReply);
    t.uasRetrInterval = Math.min(t.uasRetrInterval * 2, t.timers.t2);
    t.uasRetr!.start(t.uasRetrInterval);
  }

  private sendUpstream(t: Transaction, buf: Buffer): boolean {
    return this.core.sender?.send(t.uasDst, buf) ?? false;
  }

  private ackReceived(t: Transaction): void {
    t.ackReceived = true;
    t.uasRetr?.cancel();
  }

  // ---- completion and deletion --------------------------------------------------------------

  /** Final state reached: keep the transaction for wt_timer to absorb retransmissions, then delete. */
  private complete(t: Transaction): void {
    if (t.completed) return;
    t.completed = true;
    // Nothing reads a branch's parsed final reply once the transaction is complete (it served
    // failure_route and the relay); a parsed message is the biggest part of what wt_timer would
    // keep alive, and old-generation GC time grows with it.
    for (const b of t.branches) b.reply = null;
    t.life!.fn = () => this.delete(t);
    t.life!.start(this.cfg.wtTimer);
  }

  /**
   * End of a request route (postScript): a transaction whose branches all failed to go out gets
   * its error reply now, unless the script replied (t_reply, or sl's final reply, which sl marks
   * in the SL_REPLIED slot); one the script neither replied to nor forwarded is released.
   */
  afterScript(ctx: RunCtx): void {
    const t = this.current(ctx);
    if (!t || t.local || t.completed || t.suspended || t.uasStatus >= 200 || t.pending() > 0) return;
    if (t.noInternalReply) {
      this.complete(t);
      return;
    }
    if (ctx.slots.has(SL_REPLIED)) {
      // the script answered statelessly: that is the one final reply; a retransmission of the
      // request must find no transaction, so that the script (and sl) answer it again
      this.delete(t);
      return;
    }
    if (t.branches.length === 0) {
      this.complete(t);
      return;
    }
    t.pickedBranch = pickBranch(t.branches);
    this.relayWinner(t);
  }

  private delete(t: Transaction): void {
    t.stopTimers();
    this.table.remove(t);
  }

  /** t_set_max_lifetime on an existing transaction: the cap still counts from its creation. */
  setMaxLifetime(t: Transaction, ms: number): void {
    t.timers.maxLifetime = ms;
    if (!t.completed) t.life!.start(Math.max(0, t.created + ms - this.core.timer.now()));
  }

  /** max_inv_lifetime / max_noninv_lifetime: force the transaction to an end. */
  private lifetimeExpired(t: Transaction): void {
    if (t.completed) return;
    for (const b of t.branches) {
      if (b.final) continue;
      b.stopTimers();
      if (t.isInvite && b.gotProvisional && b.buf) this.sendCancel(t, b);
      b.status = 408;
      b.local = true;
    }
    if (t.local) t.onLocalReply?.(t, 408, null);
    else if (t.uasStatus < 200) this.replyLocal(t, 408, localReason(408));
    this.complete(t);
  }

  // ---- CANCEL -------------------------------------------------------------------------------

  private relayCancel(cancelT: Transaction, inv: Transaction): number {
    inv.canceled = true;
    if (inv.branches.length === 0 || inv.uasStatus >= 200) {
      if (inv.uasStatus < 200) this.replyLocal(inv, 487, 'Request Terminated');
      this.replyLocal(cancelT, 200, 'ok -- no more pending branches');
      return 1;
    }
    this.cancelPending(inv);
    this.replyLocal(cancelT, 200, 'canceling');
    return 1;
  }

  /** CANCEL every branch still pending (t_cancel_branches, CANCEL received, 6xx, 2xx). */
  cancelPending(t: Transaction, except = -1): void {
    for (const b of t.branches) if (!b.final && b.idx !== except) this.cancelBranch(t, b);
  }

  cancelBranch(t: Transaction, b: UacBranch): void {
    if (b.final || b.cancelBuf || b.cancelPending) return;
    if (b.blind) {
      this.branchFinal(t, b, 487, null);
      return;
    }
    if (b.gotProvisional || this.cfg.cancelBMethod === 2) this.sendCancel(t, b);
    else if (this.cfg.cancelBMethod === 1) b.cancelPending = true;
    else this.branchFinal(t, b, 487, null);
  }

  private sendCancel(t: Transaction, b: UacBranch): void {
    if (!b.buf || b.cancelBuf || !b.dst) return;
    b.cancelBuf = this.wire.cancel(this.sentRequest(b));
    this.resend(b, b.cancelBuf);
    if (!isUdp(b.dst)) return;
    let interval = t.timers.t1;
    // repeated until its own reply, a final reply on the branch, or the transaction's end
    b.cancelRetr = this.core.timer.create((timer) => {
      if (b.reply) return;
      this.resend(b, b.cancelBuf!);
      interval = Math.min(interval * 2, t.timers.t2);
      timer.start(interval);
    });
    b.cancelRetr.start(interval);
  }

  // ---- failure_route helpers ----------------------------------------------------------------

  /**
   * Once a failure_route added branches, the earlier replies stop competing as t_drop_replies()
   * said ('a' all, 'l' the set that just failed, 'n' none), or by default as the mode says:
   * #!KAMAILIO drops them all, #!SER/#!ALL keep them.
   */
  private applyDropMode(t: Transaction, branchesBefore: number): void {
    const mode = t.dropMode ?? (this.core.compatMode === 'kamailio' ? 'a' : 'n');
    t.dropMode = null;
    if (mode === 'n' || t.branches.length === branchesBefore) return;
    const from = mode === 'l' ? t.prevSetStart : 0;
    for (let i = from; i < branchesBefore; i++) t.branches[i].dropped = true;
  }

  // ---- t_suspend / t_continue ---------------------------------------------------------------

  /** Park the transaction: a blind branch keeps it alive until t_continue or its fr timer. */
  suspend(ctx: RunCtx): { hash: number; label: number } | null {
    let t = this.current(ctx);
    if (!t) {
      if (this.newTransaction(ctx) !== NEW) return null;
      t = this.current(ctx);
      if (!t) return null;
    }
    if (t.branches.length >= MAX_BRANCHES) return null;
    if (t.isInvite && t.autoInv100 && t.uasStatus === 0) this.replyLocal(t, 100, this.cfg.autoInv100Reason);
    t.msgFlags = ctx.msg.flags;
    if (!t.savedChanges) this.saveLumps(t);
    const b = new UacBranch(t.branches.length, ctx.msg.newUri ?? ctx.msg.ruri, null, ctx.msg.bflags);
    b.blind = true;
    t.branches.push(b);
    t.suspended = true;
    b.fr = this.core.timer.create(() => this.branchTimeout(t!, b));
    b.fr.start(t.isInvite ? t.timers.frInvTimer : t.timers.frTimer);
    return { hash: t.hash, label: t.label };
  }

  /** Resume a parked transaction in `route` (failure-route style). -1 when it is gone. */
  resume(hash: number, label: number, route: string): number {
    const t = this.table.byId(hash, label);
    if (!t || !t.suspended) return -1;
    const blind = t.branches.find((b) => b.blind && !b.final);
    if (!blind) return -1;
    t.suspended = false;
    blind.stopTimers();
    blind.status = 500;
    blind.local = true;
    blind.dropped = true;
    this.runOnRequest(t, 'request', route, null);
    return 1;
  }

  // ---- local requests (t_uac) ---------------------------------------------------------------

  /**
   * Send a request generated here, statefully. `build` gets the Via branch to put in the top Via
   * and returns the bytes; replies are handed to onReply, the last one final.
   */
  uac(method: string, uri: string, build: (branch: string, socket: SocketInfo) => Buffer, dstUri: string | null,
    onReply: (code: number, rpl: SipMessage | null) => void): Transaction | null {
    const dst = this.wire.resolve(dstUri ?? uri);
    const socket = dst ? this.core.sender?.socketFor(dst) : undefined;
    if (!dst || !socket) return null;
    const hash = tmHash(randomHex(8), '1');
    const label = this.nextLabel();
    const probe = build(branchId(hash, label, 0), socket);
    const rcv = { srcIp: socket.address, srcPort: socket.port, dstIp: dst.address, dstPort: dst.port, proto: socket.proto, af: socket.af, socket };
    const msg = this.wire.parse(probe, rcv);
    const t = new Transaction(hash, label, msg, this.cfg, {
      uasDst: dst, stores: this.core.pv.newStores(), local: true, now: this.core.timer.now(),
    });
    t.onLocalReply = (_t, code, rpl) => onReply(code, rpl);
    this.insert(t);
    this.stats.uacTransactions++;
    const ctx = makeCtx(this.core, msg, RouteType.LOCAL, t.stores, t);
    let drop = false;
    if (this.core.script?.has('event', 'tm:local-request')) {
      runRoute(this.core, 'event', 'tm:local-request', ctx, () => { drop = dropped(ctx); });
    }
    const b = new UacBranch(0, uri, dst, 0);
    t.branches.push(b);
    if (drop || !this.send(dst, probe, socket, undefined, isUdp(dst) ? undefined : this.onConnectFail(t, b))) {
      this.branchFinal(t, b, 477, null);
      return t;
    }
    b.buf = probe;
    b.socket = socket;
    this.startBranchTimers(t, b);
    return t;
  }
}

export function localReason(code: number): string {
  switch (code) {
    case 408: return 'Request Timeout';
    case 477: return 'Unfortunately error on sending to next hop occurred (477/TM)';
    case 478: return 'Unresolvable destination';
    case 487: return 'Request Terminated';
    default: return 'Server Internal Error';
  }
}

/** Stateless branch for an end-to-end ACK: stable across its retransmissions (FNV-1a of the top Via). */
function statelessBranch(msg: SipMessage): string {
  const s = msg.via().raw;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return `${MAGIC_COOKIE}sl${(h >>> 0).toString(16)}`;
}
