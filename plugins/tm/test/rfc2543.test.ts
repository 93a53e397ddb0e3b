import { harness, invite, UAC } from './harness';

/** An RFC 2543 client: no magic cookie in its Via (here no branch at all). */
const old = (method = 'INVITE', extra: Partial<Parameters<typeof invite>[0]> = {}) =>
  invite({ method, ...extra }).replace(/;branch=[^\r\n]+/, '');

describe('tm: RFC 2543 matching (no z9hG4bK branch)', () => {
  it('a retransmission is matched by Call-ID, CSeq, From, To, R-URI and Via, and absorbed', () => {
    const h = harness();
    h.request(old(), (ctx) => h.fn('t_relay', ctx));
    let rc = 9;
    h.request(old(), (ctx) => { rc = h.fn('t_check_trans', ctx); });
    expect(rc).toBe(0);
    expect(h.sentTo(5080).length).toBe(1);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 100 trying -- your call is important to us']);
    // another R-URI is another transaction
    h.request(old('INVITE', { ruri: 'sip:carol@127.0.0.4:5090' }), (ctx) => { rc = h.fn('t_check_trans', ctx); });
    expect(rc).toBe(-1);
  });

  it('CANCEL finds its INVITE and the ACK for the 487 is absorbed', () => {
    const h = harness();
    h.request(old(), (ctx) => h.fn('t_relay', ctx));
    const inv = h.sentTo(5080)[0].text;
    h.reply(inv, 180, 'Ringing', { toTag: 'b' });
    h.request(old('CANCEL'), (ctx) => h.fn('t_relay', ctx));
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 200 canceling');
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('CANCEL')).length).toBe(1);
    h.reply(inv, 487, 'Request Terminated', { toTag: 'b' });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 487 Request Terminated');
    const ack = old('ACK').replace('To: <sip:bob@127.0.0.3>', 'To: <sip:bob@127.0.0.3>;tag=b');
    let rc = 9;
    h.request(ack, (ctx) => { rc = h.fn('t_relay', ctx); });
    expect(rc).toBe(0);
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('ACK')).length).toBe(1); // only our hop-by-hop one
  });
});
