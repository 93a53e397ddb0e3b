/**
 * The transaction table. Requests find their transaction by top-Via branch and sent-by (RFC 3261)
 * in one Map lookup, or by comparing Call-ID, CSeq and the other RFC 2543 fields within a Call-ID
 * bucket; replies find theirs by the label in our own branch parameter.
 */
import type { SipMessage } from '@sipr/core';
import { MAGIC_COOKIE } from './ids';
import type { Transaction } from './cell';
import type { TmConfig } from './config';

/** ACK and CANCEL look for the INVITE; other requests for their own method. */
function matchClass(method: string): string {
  return method === 'ACK' ? 'INVITE' : method;
}

/** The top Via's branch when it is an RFC 3261 one (the transaction is found by it), else null. */
function branch3261(msg: SipMessage): string | null {
  const b = msg.via().branch;
  return b && b.startsWith(MAGIC_COOKIE) ? b : null;
}

/** RFC 3261 17.2.3: same branch (the map key), same sent-by and transport, same method class. */
function sameVia(t: Transaction, msg: SipMessage, cls: string): boolean {
  if (t.method !== cls) return false;
  const v = msg.via();
  const r = t.req.via();
  return v.port === r.port && v.transport === r.transport && (v.host === r.host || v.host.toLowerCase() === r.host.toLowerCase());
}

const key2543 = (callId: string, cseqNum: string) => `${callId}\0${cseqNum}`;

const hv = (m: SipMessage, name: string) => m.header(name)?.value ?? '';

export class TransactionTable {
  private readonly byLabel = new Map<number, Transaction>();
  /** By top-Via branch; transactions sharing one (an INVITE and its CANCEL) are chained by sameBranch. */
  private readonly byBranch = new Map<string, Transaction>();
  private readonly byCallId = new Map<string, Transaction[]>();
  /** INVITEs answered 2xx from here, by Call-ID, CSeq number and our To-tag: their ACK is ours. */
  private readonly local2xx = new Map<string, Transaction>();

  get size(): number {
    return this.byLabel.size;
  }

  all(): IterableIterator<Transaction> {
    return this.byLabel.values();
  }

  add(t: Transaction): void {
    this.byLabel.set(t.label, t);
    if (t.local) return;
    const b = branch3261(t.req);
    if (b) {
      t.branchKey = b;
      t.sameBranch = this.byBranch.get(b) ?? null;
      this.byBranch.set(b, t);
    } else {
      const ck = key2543(t.callId, t.cseqNum);
      const list = this.byCallId.get(ck);
      if (list) list.push(t);
      else this.byCallId.set(ck, [t]);
    }
  }

  /** Remember an INVITE answered 2xx locally so the ACK (a new transaction) finds it. */
  addLocal2xx(t: Transaction): void {
    this.local2xx.set(`${t.callId}\0${t.cseqNum}\0${t.toTag}`, t);
  }

  /** The locally answered INVITE an ACK for a 2xx belongs to. */
  lookupLocal2xx(ack: SipMessage): Transaction | undefined {
    if (this.local2xx.size === 0) return undefined;
    const tag = ack.to().tag;
    return tag ? this.local2xx.get(`${ack.callId()}\0${ack.cseq().numText}\0${tag}`) : undefined;
  }

  remove(t: Transaction): void {
    if (this.byLabel.get(t.label) !== t) return;
    this.byLabel.delete(t.label);
    if (t.local2xx) this.local2xx.delete(`${t.callId}\0${t.cseqNum}\0${t.toTag}`);
    const b = t.branchKey;
    if (b) {
      this.unchain(b, t);
      return;
    }
    const ck = key2543(t.callId, t.cseqNum);
    const list = this.byCallId.get(ck);
    if (!list) return;
    const i = list.indexOf(t);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byCallId.delete(ck);
  }

  byId(hash: number, label: number): Transaction | undefined {
    const t = this.byLabel.get(label);
    return t && t.hash === hash ? t : undefined;
  }

  private unchain(b: string, t: Transaction): void {
    let prev: Transaction | null = null;
    for (let x = this.byBranch.get(b) ?? null; x; prev = x, x = x.sameBranch) {
      if (x !== t) continue;
      if (prev) prev.sameBranch = t.sameBranch;
      else if (t.sameBranch) this.byBranch.set(b, t.sameBranch);
      else this.byBranch.delete(b);
      t.sameBranch = null;
      return;
    }
  }

  /** RFC 3261 matching: the transaction of this branch with the same sent-by and method class. */
  private byVia(msg: SipMessage, b: string, cls: string): Transaction | undefined {
    for (let t = this.byBranch.get(b); t; t = t.sameBranch ?? undefined) if (sameVia(t, msg, cls)) return t;
    return undefined;
  }

  /** The transaction a request belongs to (a retransmission, or the INVITE of an ACK). */
  lookupRequest(msg: SipMessage, cfg: TmConfig): Transaction | undefined {
    const b = branch3261(msg);
    if (b) return this.byVia(msg, b, matchClass(msg.method));
    const list = this.byCallId.get(key2543(msg.callId(), msg.cseq().numText));
    if (!list) return undefined;
    for (const t of list) {
      if (msg.method === 'ACK' ? this.ackMatches2543(t, msg) : this.requestMatches2543(t, msg, cfg)) return t;
    }
    return undefined;
  }

  /** The INVITE a CANCEL cancels. */
  lookupInvite(cancel: SipMessage, cfg: TmConfig): Transaction | undefined {
    const b = branch3261(cancel);
    if (b) return this.byVia(cancel, b, 'INVITE');
    const list = this.byCallId.get(key2543(cancel.callId(), cancel.cseq().numText));
    if (!list) return undefined;
    for (const t of list) {
      if (!t.isInvite) continue;
      if (hv(t.req, 'from') !== hv(cancel, 'from')) continue;
      if (t.req.to().uri !== cancel.to().uri) continue;
      if (cfg.ruriMatching && t.req.ruri !== cancel.ruri) continue;
      if (cfg.via1Matching && t.req.via().raw !== cancel.via().raw) continue;
      return t;
    }
    return undefined;
  }

  private requestMatches2543(t: Transaction, msg: SipMessage, cfg: TmConfig): boolean {
    const r = t.req;
    return r.method === msg.method
      && hv(r, 'from') === hv(msg, 'from')
      && hv(r, 'to') === hv(msg, 'to')
      && (!cfg.ruriMatching || r.ruri === msg.ruri)
      && (!cfg.via1Matching || r.via().raw === msg.via().raw);
  }

  private ackMatches2543(t: Transaction, ack: SipMessage): boolean {
    if (!t.isInvite || t.req.to().uri !== ack.to().uri) return false;
    // An ACK for a 2xx carries the UAS's tag; for a negative reply ours, and the INVITE's fields.
    if (t.uasStatus < 300) return t.req.from().tag === ack.from().tag;
    return hv(t.req, 'from') === hv(ack, 'from') && t.req.ruri === ack.ruri && t.req.via().raw === ack.via().raw;
  }
}
