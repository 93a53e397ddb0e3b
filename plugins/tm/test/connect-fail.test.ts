/**
 * A branch relayed over TCP whose connect then fails ends at once with 477 (as Kamailio's
 * "cannot send" path), not after fr_timer with 408; failure_route sees it.
 */
import type { RunCtx } from '@sipr/core';
import { harness, invite, UAC } from './harness';

const overTcp = (ctx: RunCtx) => { ctx.msg.dstUri = 'sip:127.0.0.3:5080;transport=tcp'; };

describe('tm: a failed stream connect fails the branch', () => {
  it('the UAC gets 477 at once; fr_timer and retransmissions no longer run for the branch', () => {
    const h = harness();
    h.request(invite(), (ctx) => { overTcp(ctx); return h.fn('t_relay', ctx); });
    const [out] = h.sentTo(5080);
    expect(out.dst.proto).toBe('tcp');
    expect(out.onConnectFail).toBeDefined();
    h.clock.advance(50);
    out.onConnectFail!('connection refused');
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual([
      'SIP/2.0 100 trying -- your call is important to us',
      'SIP/2.0 477 Unfortunately error on sending to next hop occurred (477/TM)',
    ]);
    expect(h.sentTo(UAC.port)[1].at).toBe(50);
    // a second report (another send queued on the same connection) changes nothing
    out.onConnectFail!('connection refused');
    h.clock.advance(40000);
    // only the 477 (retransmitted over UDP until an ACK) goes upstream: no 408 at fr_timer
    expect(new Set(h.firstLines(h.sentTo(UAC.port)).slice(1))).toEqual(new Set([
      'SIP/2.0 477 Unfortunately error on sending to next hop occurred (477/TM)',
    ]));
    expect(h.sentTo(5080)).toHaveLength(1);
  });

  it('failure_route runs with status 477 and forks serially to a live target, whose 200 goes upstream', () => {
    const seen: number[] = [];
    const h = harness({
      'failure:NEXT': (ctx: RunCtx) => {
        seen.push(h.fn('t_check_status', ctx, '477'));
        ctx.msg.newUri = 'sip:bob@127.0.0.4:5090';
        ctx.msg.dstUri = null;
        return h.fn('t_relay', ctx);
      },
    });
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'NEXT'); overTcp(ctx); return h.fn('t_relay', ctx); });
    h.sentTo(5080)[0].onConnectFail!('connection refused');
    expect(seen).toEqual([1]);
    const second = h.sentTo(5090)[0];
    expect(second.dst.proto).toBe('udp');
    expect(second.onConnectFail).toBeUndefined();
    h.reply(second.text, 200, 'OK', { toTag: 'c1', from: { ip: '127.0.0.4', port: 5090 } });
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 200 OK']);
  });

  it('a connect failing after the branch was answered is ignored', () => {
    const h = harness();
    h.request(invite(), (ctx) => { overTcp(ctx); return h.fn('t_relay', ctx); });
    const [out] = h.sentTo(5080);
    h.reply(out.text, 486, 'Busy Here', { toTag: 'b1' });
    out.onConnectFail!('connection closed');
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 486 Busy Here']);
  });
});
