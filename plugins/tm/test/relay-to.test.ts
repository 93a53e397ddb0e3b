/** t_relay_to("[proto:]host[:port]"[, flags]) and t_save_lumps. */
import type { RunCtx, SipMsg } from '@sipr/core';
import { harness, invite, UAC } from './harness';

const TRYING = 'SIP/2.0 100 trying -- your call is important to us';

describe('tm: t_relay_to', () => {
  it('"tcp:host:port" sends over TCP to that address, the R-URI unchanged', () => {
    const h = harness();
    let rc = 0;
    h.request(invite(), (ctx) => { rc = h.fn('t_relay_to', ctx, 'tcp:127.0.0.4:5090'); });
    expect(rc).toBe(1);
    const out = h.sentTo(5090);
    expect(out.map((s) => [s.dst.proto, s.dst.address])).toEqual([['tcp', '127.0.0.4']]);
    expect(out[0].text).toMatch(/^INVITE sip:bob@127\.0\.0\.3:5080 SIP\/2\.0\r\nVia: SIP\/2\.0\/TCP 127\.0\.0\.1:5060;branch=/);
  });

  it('a bare host means UDP, port 5060; the proto is case-insensitive', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay_to', ctx, '127.0.0.4'));
    h.request(invite({ callId: 'c2', branch: 'z9hG4bK-uac-2' }), (ctx) => h.fn('t_relay_to', ctx, 'UDP:[::1]:5099'));
    expect(h.sent.filter((s) => s.text.startsWith('INVITE')).map((s) => `${s.dst.proto}:${s.dst.address}:${s.dst.port}`))
      .toEqual(['udp:127.0.0.4:5060', 'udp:::1:5099']);
  });

  it('flags 0x01: no 100 for the INVITE; t_relay_to() alone is t_relay', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay_to', ctx, '0x01'));
    expect(h.sentTo(UAC.port)).toEqual([]);
    expect(h.sentTo(5080).length).toBe(1);
    h.request(invite({ callId: 'c2', branch: 'z9hG4bK-uac-2' }), (ctx) => h.fn('t_relay_to', ctx));
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual([TRYING]);
  });

  it('flags 2 with a target: a failed relay sends no error reply and the transaction goes away', () => {
    const h = harness();
    h.core.sender = { ...h.core.sender!, socketFor: () => undefined };
    let rc = 0;
    h.request(invite(), (ctx) => { rc = h.fn('t_relay_to', ctx, 'udp:127.0.0.4:5090', '2'); });
    expect(rc).toBeLessThan(0);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual([TRYING]);
    h.clock.advance(6000);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual([TRYING]);
    expect(h.engine.table.size).toBe(0);
  });

  it('without flag 2 the same failure gets tm\'s reply', () => {
    const h = harness();
    h.core.sender = { ...h.core.sender!, socketFor: () => undefined };
    h.request(invite(), (ctx) => h.fn('t_relay_to', ctx, 'udp:127.0.0.4:5090', '0'));
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual([TRYING, 'SIP/2.0 478 Unresolvable destination']);
  });

  it.each([
    ['nowhere.example', 't_relay_to target "nowhere.example" is not [proto:]address[:port]'],
    ['ws:127.0.0.1', 't_relay_to target "ws:127.0.0.1" is not [proto:]address[:port]'],
    ['127.0.0.1;lr', 't_relay_to target "127.0.0.1;lr" is not [proto:]address[:port]'],
  ])('refuses the target %s at start', (target, message) => {
    const h = harness();
    expect(() => h.fn('t_relay_to', h.request(invite(), () => 0), target)).toThrow(message);
    expect(() => h.fn('t_relay_to', h.request(invite(), () => 0), '127.0.0.1', 'x')).toThrow('t_relay_to flags "x" are not an integer');
  });
});

describe('tm: t_save_lumps', () => {
  const header = (text: string, name: string) => new RegExp(`^${name}:`, 'm').test(text);

  function run(save: boolean) {
    const h = harness({
      'failure:NEXT': (ctx: RunCtx) => {
        ctx.msg.newUri = 'sip:bob@127.0.0.4:5090';
        return h.fn('t_relay', ctx);
      },
    });
    h.request(invite(), (ctx) => {
      const m = ctx.msg as SipMsg;
      h.fn('t_newtran', ctx);
      m.appendHeader('X-Before: 1\r\n');
      if (save) h.fn('t_save_lumps', ctx);
      m.appendHeader('X-Between: 1\r\n');
      h.fn('t_on_failure', ctx, 'NEXT');
      h.fn('t_relay', ctx);
      m.appendHeader('X-After: 1\r\n');
    });
    const first = h.sentTo(5080)[0].text;
    h.reply(first, 503, 'Service Unavailable', { toTag: 'b1' });
    return { first, second: h.sentTo(5090)[0].text };
  }

  it('t_relay keeps the changes made up to it for failure_route; later ones are lost', () => {
    const { first, second } = run(false);
    expect([header(first, 'X-Before'), header(first, 'X-Between'), header(first, 'X-After')]).toEqual([true, true, false]);
    expect([header(second, 'X-Before'), header(second, 'X-Between'), header(second, 'X-After')]).toEqual([true, true, false]);
  });

  it('after t_save_lumps, changes made before t_relay go out on the first branch only', () => {
    const { first, second } = run(true);
    expect([header(first, 'X-Before'), header(first, 'X-Between')]).toEqual([true, true]);
    expect([header(second, 'X-Before'), header(second, 'X-Between')]).toEqual([true, false]);
  });

  it('needs a transaction', () => {
    const h = harness();
    let rc = 0;
    h.request(invite(), (ctx) => { rc = h.fn('t_save_lumps', ctx); });
    expect(rc).toBe(-1);
  });
});

describe('tm: the local socket of a branch', () => {
  const other = { proto: 'udp' as const, address: '127.0.0.1', port: 5061, af: 4 as const, name: 'udp:127.0.0.1:5061' };

  it('a socket forced by the script is in the Via and goes with every send of the branch (retransmission, CANCEL)', () => {
    const h = harness();
    h.request(invite(), (ctx) => { ctx.msg.forceSocket = other; return h.fn('t_relay', ctx); });
    const inv = h.sentTo(5080);
    expect(inv[0].text).toMatch(/^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:5061;branch=/m);
    h.clock.advance(600);
    h.reply(inv[0].text, 180, 'Ringing', { toTag: 'b1' });
    h.engine.cancelPending(h.engine.table.all().next().value!);
    const out = h.sentTo(5080);
    expect(out.map((s) => `${s.text.slice(0, s.text.indexOf(' '))} ${s.dst.socket?.name}`)).toEqual([
      'INVITE udp:127.0.0.1:5061', 'INVITE udp:127.0.0.1:5061', 'CANCEL udp:127.0.0.1:5061']);
  });

  it('without one, the transport chooses (no socket named in the destination)', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay_to', ctx, 'udp:127.0.0.3:5080'));
    expect(h.sentTo(5080).map((s) => s.dst.socket)).toEqual([undefined]);
    expect(h.sentTo(5080)[0].text).toMatch(/^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:5060;branch=/m);
  });
});
