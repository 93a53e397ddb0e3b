/** tm's RPC commands: statistics, the transaction count, t_uac_dlg, cancel. */
import type { RpcExport } from '@sipr/core';
import { localReason, type Tm } from './tm';
import { localRequestBuilder } from './local-request';

export function tmRpc(engine: () => Tm): RpcExport[] {
  return [
    {
      name: 'tm.stats',
      doc: 'Transaction statistics: current (in the table), total, replies by class.',
      handler: (ctx) => {
        const tm = engine();
        const s = tm.stats;
        ctx.add({
          current: tm.table.size,
          total: s.uasTransactions + s.uacTransactions,
          total_local: s.uacTransactions,
          rpl_received: s.receivedReplies,
          rpl_generated: s.localReplies,
          rpl_sent: s.localReplies + s.relayedReplies,
          '6xx': s.replied6xx, '5xx': s.replied5xx, '4xx': s.replied4xx, '3xx': s.replied3xx, '2xx': s.replied2xx,
        });
      },
    },
    {
      name: 'tm.list',
      doc: 'Lists the transactions in the table: index, label, method, Call-ID, status, branches.',
      handler: (ctx) => {
        for (const t of engine().table.all()) {
          ctx.add({ index: t.hash, label: t.label, method: t.method, callid: t.callId, status: t.uasStatus, branches: t.branches.length, local: t.local ? 1 : 0 });
        }
      },
    },
    {
      name: 'tm.t_uac_dlg',
      doc: 'Sends a request from the server and returns its final reply: method, ruri, next hop ("." none), socket (ignored), headers, body.',
      handler: (ctx) => new Promise<void>((resolve) => {
        const [method, ruri, nextHop, , headers, body] = ctx.params.map((p) => (p === undefined ? '' : String(p)));
        if (!method || !ruri || headers === undefined) {
          ctx.fault(400, 'usage: method ruri nexthop socket headers [body]');
          return resolve();
        }
        let build;
        try {
          build = localRequestBuilder({ method, ruri, headers: headers.replace(/\\r\\n/g, '\r\n'), body: body ?? '' });
        } catch (e) {
          ctx.fault(400, e instanceof Error ? e.message : String(e));
          return resolve();
        }
        let done = false;
        const t = engine().uac(method, ruri, build, nextHop && nextHop !== '.' ? nextHop : null, (code, rpl) => {
          if (code < 200 || done) return;
          done = true;
          ctx.add(`${code} ${rpl?.reason ?? localReason(code)}`);
          resolve();
        });
        if (!t) {
          ctx.fault(500, `cannot send to ${nextHop && nextHop !== '.' ? nextHop : ruri}`);
          resolve();
        }
      }),
    },
    {
      name: 'tm.reply',
      doc: 'Replies to a transaction from outside: code, reason, index, label (as t_suspend returned them).',
      handler: (ctx) => {
        const tm = engine();
        const [code, reason, index, label] = ctx.params;
        const t = tm.table.byId(Number(index), Number(label));
        const c = Number(code);
        if (!t) return ctx.fault(481, 'no such transaction');
        if (!Number.isInteger(c) || c < 100 || c > 699) return ctx.fault(400, 'bad reply code');
        if (!tm.replyLocal(t, c, String(reason ?? ''))) return ctx.fault(500, 'reply not sent');
        ctx.add('ok');
      },
    },
    {
      name: 'tm.t_continue',
      doc: 'Resumes a transaction parked by t_suspend in route[name]: index, label, name.',
      handler: (ctx) => {
        const [index, label, route] = ctx.params;
        const name = String(route ?? '');
        const tm = engine();
        if (!tm.core.script?.has('request', name)) return ctx.fault(400, `route[${name}] is not defined`);
        if (tm.resume(Number(index), Number(label), name) < 0) return ctx.fault(481, 'no such parked transaction');
        ctx.add('ok');
      },
    },
    {
      name: 'tm.cancel',
      doc: 'Cancels the pending INVITE transaction with this Call-ID and CSeq number.',
      handler: (ctx) => {
        const tm = engine();
        const [callId, cseq] = ctx.params.map(String);
        for (const t of tm.table.all()) {
          if (t.isInvite && t.callId === callId && t.cseqNum === cseq.split(' ')[0]) {
            t.canceled = true;
            tm.cancelPending(t);
            ctx.add('canceled');
            return;
          }
        }
        ctx.fault(481, 'no such transaction');
      },
    },
  ];
}
