/**
 * A transaction ("cell") and its client branches. Plain data plus the timers each part owns;
 * the behaviour lives in tm.ts, uac.ts and replies.ts.
 */
import type { SipMessage, Destination, AvpStores, Timer, SocketInfo, Branch, Change } from '@sipr/core';
import type { TmConfig } from './config';
import { randomHex } from './ids';

export class UacBranch {
  /** Request as sent (null before the first send, or when the send failed). */
  buf: Buffer | null = null;
  /** Local socket it went out on. */
  socket: SocketInfo | null = null;
  /** `buf` parsed, made on first need (CANCEL and ACK are built from it). */
  sent: SipMessage | null = null;
  /** Last status received or generated on the branch; 0 none yet. */
  status = 0;
  /** The final reply received (null for local ones: timeout, fake 487; released when the transaction completes). */
  reply: SipMessage | null = null;
  /** Status was made up here (408 on timeout, 487 for a canceled branch without provisional). */
  local = false;
  gotProvisional = false;
  /** CANCEL requested before a provisional arrived (cancel_b_method 1). */
  cancelPending = false;
  cancelBuf: Buffer | null = null;
  cancelRetr: Timer | null = null;
  retrInterval = 0;
  /** t_suspend's placeholder branch: nothing is sent, only its fr timer runs. */
  blind = false;
  /** Replies of this branch no longer compete (t_drop_replies / #!KAMAILIO serial forking). */
  dropped = false;
  retr: Timer | null = null;
  fr: Timer | null = null;

  constructor(
    readonly idx: number,
    readonly uri: string,
    readonly dst: Destination | null,
    readonly flags: number,
  ) {}

  get final(): boolean {
    return this.status >= 200;
  }

  /** A reply was received on the branch (a provisional, or a final one not made up here). */
  get replied(): boolean {
    return this.gotProvisional || (this.status >= 200 && !this.local);
  }

  stopTimers(): void {
    this.retr?.cancel();
    this.fr?.cancel();
  }
}

/** Per-transaction timer values (t_set_fr, t_set_retr, t_set_max_lifetime override the defaults). */
export interface CellTimers {
  t1: number;
  t2: number;
  frTimer: number;
  frInvTimer: number;
  maxLifetime: number;
}

export class Transaction {
  readonly isInvite: boolean;
  readonly method: string;
  readonly callId: string;
  readonly cseqNum: string;
  readonly branches: UacBranch[] = [];
  /** First branch of the latest t_relay, and of the one before (t_drop_replies("l")). */
  setStart = 0;
  prevSetStart = 0;
  /** t_drop_replies() called in the running failure_route: which earlier replies stop competing. */
  dropMode: 'a' | 'l' | 'n' | null = null;
  /** Server side: status and bytes of the last reply sent upstream, and where it went. */
  uasStatus = 0;
  uasReply: Buffer | null = null;
  uasDst: Destination;
  /** Local tag in To of replies generated here; made on first use (relayed calls never need one). */
  private tag: string | null = null;
  uasRetr: Timer | null = null;
  uasRetrInterval = 0;
  /** Reply we sent is a locally generated 2xx for an INVITE: retransmit until ACK, even on TCP. */
  local2xx = false;
  ackReceived = false;
  onFailure: string | null = null;
  onReply: string | null = null;
  onBranch: string | null = null;
  canceled = false;
  /** a 6xx was received: pending branches are canceled, no new ones */
  got6xx = false;
  /** the transaction has been given to the wait timer (completed) */
  completed = false;
  /** parked by t_suspend */
  suspended = false;
  autoInv100: boolean;
  disable6xx: boolean;
  /** the auto 100 or any provisional was sent upstream */
  sentProvisional = false;
  /** t_relay is adding branches: completion waits until it is done */
  relaying = false;
  /** failure_route is running on this transaction */
  inFailureRoute = false;
  /** Reply code picked when all branches completed (for $T_reply_code in failure_route). */
  pickedBranch = -1;
  /** Flags and AVPs travel with the transaction into failure/reply routes. */
  msgFlags: number;
  stores: AvpStores;
  timers: CellTimers;
  /** Targets left for t_next_contacts, best q first. */
  contactGroups: Branch[][] | null = null;
  /** INVITE this CANCEL transaction cancels (for $T_inv). */
  invite: Transaction | null = null;
  /** t_relay_to flag 0x02: a relay that fails sends no error reply of its own. */
  noInternalReply = false;
  /**
   * The request's changes (lumps) as of the first t_relay or t_save_lumps: what failure_route and
   * t_continue start from; changes the request route makes afterwards do not reach them.
   */
  savedChanges: readonly Change[] | null = null;
  /** t_replicate: a copy sent on; its replies end here (the script answers the request itself). */
  replicate = false;
  /** Created by t_uac: there is no upstream, replies end here. */
  readonly local: boolean;
  /** Called with each reply of a local transaction. */
  onLocalReply: ((t: Transaction, code: number, rpl: SipMessage | null) => void) | null = null;
  /** Top-Via branch it is indexed by in the table (null: indexed by Call-ID for RFC 2543 matching). */
  branchKey: string | null = null;
  /** Next transaction in the table under the same branch (a CANCEL shares its INVITE's). */
  sameBranch: Transaction | null = null;
  /** Wait/lifetime timer. */
  life: Timer | null = null;
  readonly created: number;

  constructor(
    readonly hash: number,
    readonly label: number,
    readonly req: SipMessage,
    cfg: TmConfig,
    opts: { uasDst: Destination; stores: AvpStores; local: boolean; now: number },
  ) {
    this.method = req.method;
    this.isInvite = req.method === 'INVITE';
    this.callId = req.callId();
    this.cseqNum = req.cseq().numText;
    this.uasDst = opts.uasDst;
    this.stores = opts.stores;
    this.msgFlags = req.flags;
    this.local = opts.local;
    this.created = opts.now;
    this.autoInv100 = cfg.autoInv100;
    this.disable6xx = cfg.disable6xxBlock;
    this.timers = {
      t1: cfg.t1,
      t2: cfg.t2,
      frTimer: cfg.frTimer,
      frInvTimer: cfg.frInvTimer,
      maxLifetime: this.isInvite ? cfg.maxInvLifetime : cfg.maxNoninvLifetime,
    };
  }

  get toTag(): string {
    return (this.tag ??= randomHex(8));
  }

  /** Branches still waiting for a final reply. */
  pending(): number {
    let n = 0;
    for (const b of this.branches) if (!b.final) n++;
    return n;
  }

  stopTimers(): void {
    for (const b of this.branches) {
      b.stopTimers();
      b.cancelRetr?.cancel();
    }
    this.uasRetr?.cancel();
    this.life?.cancel();
  }
}
