/** The table's RFC 3261 index: one branch, several transactions (an INVITE and its CANCEL). */
import { harness, invite, UAC } from './harness';

describe('tm: transactions sharing a branch', () => {
  it('INVITE and CANCEL are found apart, by method class and sent-by, also after one of them left', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    const cancel = invite({ method: 'CANCEL' });
    h.request(cancel, (ctx) => h.fn('t_relay', ctx));
    expect(h.engine.table.size).toBe(2);
    const upstream = () => h.firstLines(h.sentTo(UAC.port));
    expect(upstream()).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 200 canceling']);
    // retransmissions: each finds its own transaction and gets its own last reply again
    h.request(cancel, (ctx) => h.fn('t_relay', ctx));
    h.request(invite(), (ctx) => h.fn('t_check_trans', ctx));
    expect(upstream().slice(2)).toEqual(['SIP/2.0 200 canceling', 'SIP/2.0 100 trying -- your call is important to us']);
    // the same branch from another sent-by is another transaction
    let rc = 0;
    h.request(invite(), (ctx) => { rc = h.fn('t_check_trans', ctx); }, { ip: '127.0.0.9', port: 5070 });
    expect(rc).toBe(0);
    const fromElsewhere = invite().replace('Via: SIP/2.0/UDP 127.0.0.2:5070', 'Via: SIP/2.0/UDP 127.0.0.9:5070');
    h.request(fromElsewhere, (ctx) => { rc = h.fn('t_check_trans', ctx); });
    expect(rc).toBe(-1);
    // the CANCEL transaction ends first (wt_timer); the INVITE is still found under the branch
    h.clock.advance(5100);
    expect(h.engine.table.size).toBe(1);
    h.request(invite(), (ctx) => { rc = h.fn('t_check_trans', ctx); });
    expect(rc).toBe(0);
    h.request(cancel, (ctx) => { rc = h.fn('t_lookup_cancel', ctx); });
    expect(rc).toBe(1);
  });
});
