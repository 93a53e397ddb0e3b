import { harness, invite } from './harness';

describe('tm: many calls', () => {
  it('2000 INVITE transactions of mixed outcome leave no transaction and no timer behind', () => {
    const h = harness();
    const outcomes = [
      (inv: string) => { h.reply(inv, 180, 'Ringing', { toTag: 't' }); h.reply(inv, 200, 'OK', { toTag: 't' }); },
      (inv: string) => { h.reply(inv, 486, 'Busy Here', { toTag: 't' }); },
      () => undefined, // never answered: 408 after fr_timer
      (inv: string) => { h.reply(inv, 183, 'Progress', { toTag: 't' }); }, // answered late: fr_inv, CANCEL
    ];
    for (let i = 0; i < 2000; i++) {
      h.request(invite({ callId: `c${i}`, branch: `z9hG4bK-b${i}` }), (ctx) => { h.fn('t_set_fr', ctx, 40000, 5000); return h.fn('t_relay', ctx); });
      outcomes[i % 4](h.sent[h.sent.length - 1].text);
      if (i % 100 === 0) h.clock.advance(10);
    }
    expect(h.engine.table.size).toBe(2000);
    h.clock.advance(60000);
    // 183 branches timed out on fr_inv: CANCEL sent, 408 upstream; nothing answers the CANCELs
    expect(h.engine.table.size).toBe(0);
    expect(h.core.timer.size).toBe(0);
    // one final reply per call (negative ones are repeated until an ACK, so count calls)
    const finalByCall = new Map<string, string>();
    for (const s of h.sent) {
      if (s.dst.port !== 5070 || s.text.slice(8, 11) < '200') continue;
      finalByCall.set(/Call-ID: (\S+)/.exec(s.text)![1], s.text.slice(8, 11));
    }
    const count = (code: string) => [...finalByCall.values()].filter((c) => c === code).length;
    expect([count('200'), count('486'), count('408'), finalByCall.size]).toEqual([500, 500, 1000, 2000]);
  });
});
