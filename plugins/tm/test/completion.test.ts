/** What a completed transaction keeps while wt_timer absorbs retransmissions. */
import type { RunCtx } from '@sipr/core';
import { harness, invite, UAC } from './harness';

describe('tm: a completed transaction', () => {
  it('lets its parsed final replies go, still knows which branches replied, still absorbs retransmissions', () => {
    let inFailure = 0;
    const h = harness({
      'failure:F': (ctx: RunCtx) => {
        inFailure = h.fn('t_branch_replied', ctx);
        return 1;
      },
    });
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'F'); return h.fn('t_relay', ctx); });
    h.reply(h.sentTo(5080)[0].text, 486, 'Busy Here', { toTag: 'b1' });
    expect(inFailure).toBe(1);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 486 Busy Here']);
    const t = [...h.engine.table.all()][0];
    expect(t.completed).toBe(true);
    expect(t.branches[0].reply).toBeNull();
    // the INVITE again: the 486 is sent again, and the branch still counts as replied
    let replied = 0;
    h.request(invite(), (ctx) => {
      h.fn('t_check_trans', ctx);
      h.fn('t_lookup_request', ctx);
      replied = h.fn('t_any_replied', ctx);
    });
    expect(replied).toBe(1);
    expect(h.firstLines(h.sentTo(UAC.port)).slice(2)).toEqual(['SIP/2.0 486 Busy Here']);
    // a retransmitted 486 from downstream is still acknowledged
    h.reply(h.sentTo(5080)[0].text, 486, 'Busy Here', { toTag: 'b1' });
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('ACK')).length).toBe(2);
  });
});
