import { RunFlag, type RunCtx } from '@sipr/core';
import { harness, invite, UAC } from './harness';

const cancels = (h: ReturnType<typeof harness>, port = 5080) => h.sentTo(port).filter((s) => s.text.startsWith('CANCEL')).length;

describe('tm parameters in action', () => {
  it('cancel_b_method 0: a branch without provisional gets a local 487 at once, no CANCEL sent', () => {
    const h = harness();
    h.engine.cfg.cancelBMethod = 0;
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    h.request(invite({ method: 'CANCEL' }), (ctx) => h.fn('t_relay', ctx));
    expect(cancels(h)).toBe(0);
    // the faked 487 completes the INVITE while the CANCEL is processed, before its 200 (as in Kamailio)
    expect(h.firstLines(h.sentTo(UAC.port)).slice(1, 3)).toEqual(['SIP/2.0 487 Request Terminated', 'SIP/2.0 200 canceling']);
  });

  it('cancel_b_method 2: CANCEL sent at once even without a provisional', () => {
    const h = harness();
    h.engine.cfg.cancelBMethod = 2;
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    h.request(invite({ method: 'CANCEL' }), (ctx) => h.fn('t_relay', ctx));
    expect(cancels(h)).toBe(1);
  });

  it('unmatched_cancel 2 drops a CANCEL without INVITE; 0 forwards it statefully', () => {
    const h = harness();
    h.engine.cfg.unmatchedCancel = 2;
    let rc = 9;
    h.request(invite({ method: 'CANCEL' }), (ctx) => { rc = h.fn('t_relay', ctx); });
    expect([rc, cancels(h), h.engine.table.size]).toEqual([0, 0, 0]);
    h.engine.cfg.unmatchedCancel = 0;
    h.request(invite({ method: 'CANCEL', branch: 'z9hG4bK-c2' }), (ctx) => { rc = h.fn('t_relay', ctx); });
    expect([rc, cancels(h), h.engine.table.size]).toEqual([1, 1, 1]);
  });

  it('noisy_ctimer 0: a lone INVITE branch that never answered ends without a 408', () => {
    const h = harness();
    h.engine.cfg.noisyCtimer = false;
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    h.clock.advance(40000);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us']);
    expect(h.engine.table.size).toBe(0);
  });

  it('auto_inv_100 0 (or t_set_auto_inv_100(0)): no 100 Trying', () => {
    const h = harness();
    h.request(invite(), (ctx) => { h.fn('t_set_auto_inv_100', ctx, 0); return h.fn('t_relay', ctx); });
    expect(h.sentTo(UAC.port)).toEqual([]);
    h.engine.cfg.autoInv100 = false;
    h.request(invite({ callId: 'x', branch: 'z9hG4bK-x' }), (ctx) => h.fn('t_relay', ctx));
    expect(h.sentTo(UAC.port)).toEqual([]);
  });

  it('disable_6xx_block (t_set_disable_6xx): a 6xx leaves the other branches alone', () => {
    const h = harness();
    h.request(invite(), (ctx) => {
      ctx.branches.push({ uri: 'sip:carol@127.0.0.4:5090', dstUri: null, path: null, q: -1, flags: 0, socket: null });
      h.fn('t_newtran', ctx);
      h.fn('t_set_disable_6xx', ctx, 1);
      return h.fn('t_relay', ctx);
    });
    h.reply(h.sentTo(5090)[0].text, 180, 'Ringing', { toTag: 'y', from: { ip: '127.0.0.4', port: 5090 } });
    h.reply(h.sentTo(5080)[0].text, 603, 'Decline', { toTag: 'x' });
    expect(cancels(h, 5090)).toBe(0);
  });

  it('on_sl_reply: replies of no transaction run that onreply_route; drop consumes them', () => {
    const seen: number[] = [];
    const h = harness({
      'onreply:SL': (ctx: RunCtx) => {
        seen.push(ctx.msg.status);
        if (ctx.msg.status === 404) ctx.runFlags = (ctx.runFlags ?? 0) | RunFlag.DROP;
        return 1;
      },
    });
    h.engine.cfg.onSlReply = 'SL';
    const sent = invite().replace('Via: SIP/2.0/UDP 127.0.0.2:5070', 'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnot.ours\r\nVia: SIP/2.0/UDP 127.0.0.2:5070');
    expect(h.reply(sent, 404, 'Not Found')).toBe(0);
    expect(h.reply(sent, 480, 'Unavailable')).toBe(1);
    expect(seen).toEqual([404, 480]);
  });

  it('restart_fr_on_each_reply 0: fr_inv runs from the first provisional only', () => {
    const h = harness();
    h.engine.cfg.restartFrOnEachReply = false;
    h.request(invite(), (ctx) => { h.fn('t_set_fr', ctx, 10000); return h.fn('t_relay', ctx); });
    const inv = h.sentTo(5080)[0].text;
    h.reply(inv, 180, 'Ringing', { toTag: 'b' });
    h.clock.advance(6000);
    h.reply(inv, 183, 'Progress', { toTag: 'b' });
    h.clock.advance(4000);
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 408 Request Timeout');
  });
});
