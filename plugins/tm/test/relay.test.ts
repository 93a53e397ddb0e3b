import { harness, invite, UAC } from './harness';
import { RunFlag, type RunCtx, type SipMsg } from '@sipr/core';

describe('tm: INVITE relayed through one branch', () => {
  it('100 upstream at once, INVITE downstream with our branch, T1-doubling retransmissions capped at T2, stopped by a provisional', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    const up = h.sentTo(UAC.port);
    expect(h.firstLines(up)).toEqual(['SIP/2.0 100 trying -- your call is important to us']);
    const down = h.sentTo(5080);
    expect(h.firstLines(down)).toEqual(['INVITE sip:bob@127.0.0.3:5080 SIP/2.0']);
    expect(down[0].text).toMatch(/^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:5060;branch=z9hG4bK[0-9a-f]+\.[0-9a-f]+\.0\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.2:5070/m);
    h.clock.advance(8000);
    expect(h.sentTo(5080).map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500]);
    expect(h.reply(down[0].text, 180, 'Ringing', { toTag: 'b1' })).toBe(0);
    h.clock.advance(20000);
    expect(h.sentTo(5080).length).toBe(5);
    const relayed = h.sentTo(UAC.port)[1];
    expect(relayed.text).toMatch(/^SIP\/2\.0 180 Ringing\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.2:5070;branch=z9hG4bK-uac-1\r\n/);
    expect(relayed.text).not.toContain('127.0.0.1:5060;branch');
  });

  it('200 is relayed, the ACK for 2xx goes on statelessly, the table empties after wt_timer', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    const inv = h.sentTo(5080)[0].text;
    h.reply(inv, 180, 'Ringing', { toTag: 'b1' });
    h.reply(inv, 200, 'OK', { toTag: 'b1' });
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 180 Ringing', 'SIP/2.0 200 OK']);
    // a retransmitted 200 is relayed again (end to end)
    h.reply(inv, 200, 'OK', { toTag: 'b1' });
    expect(h.sentTo(UAC.port).length).toBe(4);
    const ack = invite({ method: 'ACK', branch: 'z9hG4bK-uac-ack' }).replace('To: <sip:bob@127.0.0.3>', 'To: <sip:bob@127.0.0.3>;tag=b1');
    h.request(ack, (ctx) => h.fn('t_relay', ctx));
    const acks = h.sentTo(5080).filter((s) => s.text.startsWith('ACK'));
    expect(acks.length).toBe(1);
    expect(acks[0].text).toMatch(/Via: SIP\/2\.0\/UDP 127\.0\.0\.1:5060;branch=z9hG4bKsl/);
    expect(h.engine.table.size).toBe(1);
    h.clock.advance(5000);
    expect(h.engine.table.size).toBe(0);
    expect(h.core.timer.size).toBe(0);
  });

  it('a retransmitted INVITE is absorbed: the last reply is resent, nothing goes downstream', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    const inv = h.sentTo(5080)[0].text;
    h.reply(inv, 180, 'Ringing', { toTag: 'b1' });
    let rc = 0;
    h.request(invite(), (ctx) => { rc = h.fn('t_relay', ctx); });
    expect(rc).toBe(1);
    expect(h.sentTo(5080).length).toBe(1);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 180 Ringing', 'SIP/2.0 180 Ringing']);
    let nt = 9;
    h.request(invite(), (ctx) => { nt = h.fn('t_newtran', ctx); });
    expect(nt).toBe(0);
  });

  it('no answer: 408 after fr_timer, retransmissions stop; the table empties', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    h.clock.advance(29999);
    expect(h.sentTo(UAC.port).length).toBe(1);
    h.clock.advance(1);
    expect(h.firstLines(h.sentTo(UAC.port))[1]).toBe('SIP/2.0 408 Request Timeout');
    expect(h.sentTo(UAC.port)[1].text).toMatch(/To: <sip:bob@127\.0\.0\.3>;tag=[0-9a-f]+/);
    const n = h.sentTo(5080).length;
    expect(h.sentTo(5080).map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500]);
    // the 408 is retransmitted until an ACK comes
    h.clock.advance(500);
    expect(h.firstLines(h.sentTo(UAC.port))[2]).toBe('SIP/2.0 408 Request Timeout');
    const ack = invite({ method: 'ACK' }).replace('To: <sip:bob@127.0.0.3>', 'To: <sip:bob@127.0.0.3>;tag=x');
    let rc = 9;
    h.request(ack, (ctx) => { rc = h.fn('t_relay', ctx); });
    expect(rc).toBe(0);
    const upCount = h.sentTo(UAC.port).length;
    h.clock.advance(10000);
    expect(h.sentTo(UAC.port).length).toBe(upCount);
    expect(h.sentTo(5080).length).toBe(n);
    expect(h.engine.table.size).toBe(0);
  });

  it('a provisional switches the branch to fr_inv_timer: timeout then CANCELs the branch', () => {
    const h = harness();
    h.request(invite(), (ctx) => { h.fn('t_set_fr', ctx, 60000, 2000); h.fn('t_relay', ctx); });
    const inv = h.sentTo(5080)[0].text;
    h.clock.advance(1000);
    h.reply(inv, 180, 'Ringing', { toTag: 'b1' });
    h.clock.advance(59999);
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('CANCEL')).length).toBe(0);
    h.clock.advance(1);
    const cancel = h.sentTo(5080).find((s) => s.text.startsWith('CANCEL'))!;
    expect(cancel.text).toContain(inv.match(/branch=(z9hG4bK[0-9a-f.]+)/)![1]);
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 408 Request Timeout');
    // the CANCEL repeats (T1 doubling) until its 200 arrives
    h.clock.advance(1500);
    const times = () => h.sentTo(5080).filter((s) => s.text.startsWith('CANCEL')).map((s) => s.at);
    expect(times()).toEqual([61000, 61500, 62500]);
    h.reply(cancel.text, 200, 'OK', { toTag: 'b1' });
    h.clock.advance(5000);
    expect(times().length).toBe(3);
  });

  it('t_set_max_lifetime caps the transaction: 408 upstream and the branch canceled when it expires', () => {
    const h = harness();
    h.request(invite(), (ctx) => { h.fn('t_set_max_lifetime', ctx, 10000, 5000); return h.fn('t_relay', ctx); });
    h.reply(h.sentTo(5080)[0].text, 180, 'Ringing', { toTag: 'b1' });
    h.clock.advance(9999);
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 180 Ringing');
    h.clock.advance(1);
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 408 Request Timeout');
    expect(h.firstLines(h.sentTo(5080)).pop()).toBe('CANCEL sip:bob@127.0.0.3:5080 SIP/2.0');
  });

  it('non-INVITE retransmissions: 500, 1000, 2000, 4000, 4000... and T2 spacing after a provisional', () => {
    const h = harness();
    h.request(invite({ method: 'OPTIONS' }), (ctx) => h.fn('t_relay', ctx));
    expect(h.sentTo(UAC.port).length).toBe(0);
    h.clock.advance(12000);
    expect(h.sentTo(5080).map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11500]);
    h.reply(h.sentTo(5080)[0].text, 183, 'Progress');
    h.clock.advance(12000);
    expect(h.sentTo(5080).map((s) => s.at).slice(6)).toEqual([15500, 19500, 23500]);
  });
});

describe('tm: CANCEL', () => {
  it('CANCEL while ringing: 200 to the CANCEL, CANCEL downstream on the same branch, 487 relayed, ACK hop by hop', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    const inv = h.sentTo(5080)[0].text;
    h.reply(inv, 180, 'Ringing', { toTag: 'b1' });
    let canceledInScript = 0;
    h.request(invite({ method: 'CANCEL' }), (ctx) => {
      if (h.fn('t_check_trans', ctx) > 0) h.fn('t_relay', ctx);
    });
    const up = h.sentTo(UAC.port);
    expect(up[up.length - 1].text).toMatch(/^SIP\/2\.0 200 canceling\r\n/);
    expect(up[up.length - 1].text).toContain('CSeq: 1 CANCEL');
    const cancel = h.sentTo(5080).find((s) => s.text.startsWith('CANCEL'))!;
    const branch = inv.match(/branch=(z9hG4bK[0-9a-f.]+)/)![1];
    expect(cancel.text).toContain(`branch=${branch}`);
    expect(cancel.text).toContain('CSeq: 1 CANCEL');
    h.reply(cancel.text, 200, 'OK', { toTag: 'b1' });
    h.reply(inv, 487, 'Request Terminated', { toTag: 'b1' });
    const ack = h.sentTo(5080).find((s) => s.text.startsWith('ACK'))!;
    expect(ack.text).toContain(`branch=${branch}`);
    expect(ack.text).toContain('To: <sip:bob@127.0.0.3>;tag=b1');
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 487 Request Terminated');
    h.request(invite(), (ctx) => { canceledInScript = h.fn('t_is_canceled', ctx) > 0 ? 1 : 0; h.fn('t_lookup_request', ctx); canceledInScript += h.fn('t_is_canceled', ctx); });
    expect(canceledInScript).toBe(1);
    h.clock.advance(6000);
    expect(h.engine.table.size).toBe(0);
  });

  it('t_relay_cancel relays a matched CANCEL and stops the script; an unmatched one continues', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    h.reply(h.sentTo(5080)[0].text, 180, 'Ringing', { toTag: 'b1' });
    let rc = 9;
    let found = 9;
    h.request(invite({ method: 'CANCEL' }), (ctx) => {
      found = h.fn('t_lookup_cancel', ctx);
      ctx.slots.clear();
      rc = h.fn('t_relay_cancel', ctx);
    });
    expect([found, rc]).toEqual([1, 0]);
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('CANCEL')).length).toBe(1);
    h.request(invite({ method: 'CANCEL', callId: 'other', branch: 'z9hG4bK-other' }), (ctx) => { rc = h.fn('t_relay_cancel', ctx); });
    expect(rc).toBe(1);
  });

  it('CANCEL before any provisional: the CANCEL waits for the first provisional (cancel_b_method 1)', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    const inv = h.sentTo(5080)[0].text;
    h.request(invite({ method: 'CANCEL' }), (ctx) => h.fn('t_relay', ctx));
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('CANCEL')).length).toBe(0);
    h.reply(inv, 100, 'Trying');
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('CANCEL')).length).toBe(1);
  });
});

describe('tm: forking and failure_route', () => {
  it('serial forking: 503 -> failure_route relays to a second target, whose 200 goes upstream', () => {
    let failureRuns = 0;
    const h = harness({
      'failure:NEXT': (ctx: RunCtx) => {
        failureRuns++;
        if (h.fn('t_check_status', ctx, '^5') > 0) {
          ctx.msg.newUri = 'sip:bob@127.0.0.4:5090';
          h.fn('t_relay', ctx);
        }
        return 1;
      },
    });
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'NEXT'); return h.fn('t_relay', ctx); });
    const first = h.sentTo(5080)[0].text;
    h.reply(first, 503, 'Service Unavailable', { toTag: 'b1' });
    expect(failureRuns).toBe(1);
    expect(h.sentTo(5080).map((s) => s.text.slice(0, 3))).toEqual(['INV', 'ACK']);
    const second = h.sentTo(5090)[0].text;
    expect(second).toMatch(/^INVITE sip:bob@127\.0\.0\.4:5090 SIP\/2\.0\r\n/);
    expect(second).toMatch(/branch=z9hG4bK[0-9a-f]+\.[0-9a-f]+\.1\r\n/);
    h.reply(second, 200, 'OK', { toTag: 'c1', from: { ip: '127.0.0.4', port: 5090 } });
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 200 OK']);
    expect(h.sentTo(UAC.port)[1].text).toContain('tag=c1');
  });

  describe.each([
    ['kamailio', 'SIP/2.0 503 Service Unavailable'],
    ['ser', 'SIP/2.0 486 Busy Here'],
    ['all', 'SIP/2.0 486 Busy Here'],
  ] as const)('#!%s: replies of earlier branches after serial forking', (mode, expected) => {
    it(`486, then the new branch's 503 -> ${expected.slice(8)} upstream`, () => {
      const h = harness({
        'failure:NEXT': (ctx: RunCtx) => {
          ctx.msg.newUri = 'sip:bob@127.0.0.4:5090';
          return h.fn('t_relay', ctx);
        },
      });
      h.core.compatMode = mode;
      h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'NEXT'); return h.fn('t_relay', ctx); });
      h.reply(h.sentTo(5080)[0].text, 486, 'Busy Here', { toTag: 'a' });
      h.reply(h.sentTo(5090)[0].text, 503, 'Service Unavailable', { toTag: 'b', from: { ip: '127.0.0.4', port: 5090 } });
      expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe(expected);
    });
  });

  it('t_drop_replies("n") in #!KAMAILIO mode keeps the earlier replies competing', () => {
    const h = harness({
      'failure:NEXT': (ctx: RunCtx) => {
        ctx.msg.newUri = 'sip:bob@127.0.0.4:5090';
        h.fn('t_relay', ctx);
        return h.fn('t_drop_replies', ctx, 'n');
      },
    });
    h.core.compatMode = 'kamailio';
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'NEXT'); return h.fn('t_relay', ctx); });
    h.reply(h.sentTo(5080)[0].text, 486, 'Busy Here', { toTag: 'a' });
    h.reply(h.sentTo(5090)[0].text, 503, 'Service Unavailable', { toTag: 'b', from: { ip: '127.0.0.4', port: 5090 } });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 486 Busy Here');
  });

  it('t_drop_replies() in #!ALL mode drops the earlier replies', () => {
    const h = harness({
      'failure:NEXT': (ctx: RunCtx) => {
        h.fn('t_drop_replies', ctx);
        ctx.msg.newUri = 'sip:bob@127.0.0.4:5090';
        return h.fn('t_relay', ctx);
      },
    });
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'NEXT'); return h.fn('t_relay', ctx); });
    h.reply(h.sentTo(5080)[0].text, 486, 'Busy Here', { toTag: 'a' });
    h.reply(h.sentTo(5090)[0].text, 503, 'Service Unavailable', { toTag: 'b', from: { ip: '127.0.0.4', port: 5090 } });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 503 Service Unavailable');
  });

  it('t_load_contacts/t_next_contacts: q-ordered serial forking, equal q in parallel', () => {
    const h = harness({
      'failure:NEXT': (ctx: RunCtx) => {
        if (h.fn('t_next_contacts', ctx) < 0) return 1;
        h.fn('t_on_failure', ctx, 'NEXT');
        return h.fn('t_relay', ctx);
      },
    });
    const br = (port: number, q: number) => ({ uri: `sip:x@127.0.0.${port - 5076}:${port}`, dstUri: null, path: null, q, flags: 0, socket: null });
    h.request(invite(), (ctx) => {
      // R-URI (no q: 1.0) -> 5080; 0.5 -> 5081 and 5082 in parallel; 0.1 -> 5083
      ctx.branches.push(br(5083, 0.1), br(5081, 0.5), br(5082, 0.5));
      h.fn('t_load_contacts', ctx);
      h.fn('t_next_contacts', ctx);
      h.fn('t_on_failure', ctx, 'NEXT');
      return h.fn('t_relay', ctx);
    });
    const ports = () => h.sent.filter((s) => s.text.startsWith('INVITE')).map((s) => s.dst.port);
    expect(ports()).toEqual([5080]);
    h.reply(h.sentTo(5080)[0].text, 480, 'Unavailable', { toTag: 'a' });
    expect(ports()).toEqual([5080, 5081, 5082]);
    expect(h.engine.table.all().next().value!.timers.frInvTimer).toBe(30000);
    h.reply(h.sentTo(5081)[0].text, 486, 'Busy', { toTag: 'b', from: { ip: '127.0.0.5', port: 5081 } });
    expect(ports()).toEqual([5080, 5081, 5082]);
    h.reply(h.sentTo(5082)[0].text, 404, 'Not Found', { toTag: 'c', from: { ip: '127.0.0.6', port: 5082 } });
    expect(ports()).toEqual([5080, 5081, 5082, 5083]);
    h.reply(h.sentTo(5083)[0].text, 603, 'Decline', { toTag: 'd', from: { ip: '127.0.0.7', port: 5083 } });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 603 Decline');
  });

  it('branch_route runs per branch: its header edits and drop touch only that branch', () => {
    const h = harness({
      'branch:B': (ctx: RunCtx) => {
        const m = ctx.msg as SipMsg;
        m.appendHeader(`X-Branch: ${m.newUri}\r\n`);
        if (m.newUri!.includes('5091')) ctx.runFlags = (ctx.runFlags ?? 0) | RunFlag.DROP;
        return 1;
      },
    });
    h.request(invite(), (ctx) => {
      ctx.branches.push({ uri: 'sip:carol@127.0.0.4:5090', dstUri: null, path: null, q: -1, flags: 0, socket: null });
      ctx.branches.push({ uri: 'sip:dave@127.0.0.5:5091', dstUri: null, path: null, q: -1, flags: 0, socket: null });
      h.fn('t_on_branch', ctx, 'B');
      return h.fn('t_relay', ctx);
    });
    const a = h.sentTo(5080)[0].text;
    const b = h.sentTo(5090)[0].text;
    expect(a).toContain('X-Branch: sip:bob@127.0.0.3:5080\r\n');
    expect(a).not.toContain('carol');
    expect(b).toContain('X-Branch: sip:carol@127.0.0.4:5090\r\n');
    expect(b).not.toContain('X-Branch: sip:bob');
    expect(h.sentTo(5091)).toEqual([]);
    expect(h.engine.table.all().next().value!.branches.length).toBe(2);
  });

  it('failure_route edits (URI, headers) go to its new branches only, not into the saved request', () => {
    const h = harness({
      'failure:ONE': (ctx: RunCtx) => {
        (ctx.msg as SipMsg).appendHeader('X-Step: one\r\n');
        ctx.msg.newUri = 'sip:bob@127.0.0.4:5090';
        h.fn('t_on_failure', ctx, 'TWO');
        return h.fn('t_relay', ctx);
      },
      'failure:TWO': (ctx: RunCtx) => {
        expect(ctx.msg.newUri).toBeNull();
        ctx.msg.newUri = 'sip:bob@127.0.0.5:5091';
        return h.fn('t_relay', ctx);
      },
    });
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'ONE'); return h.fn('t_relay', ctx); });
    h.reply(h.sentTo(5080)[0].text, 500, 'Error', { toTag: 'a' });
    expect(h.sentTo(5090)[0].text).toContain('X-Step: one\r\n');
    h.reply(h.sentTo(5090)[0].text, 500, 'Error', { toTag: 'b', from: { ip: '127.0.0.4', port: 5090 } });
    expect(h.sentTo(5091)[0].text).not.toContain('X-Step');
  });

  it('parallel forking picks 486 over 503 and relays it once both branches are final', () => {
    const h = harness();
    h.request(invite(), (ctx) => {
      ctx.branches.push({ uri: 'sip:carol@127.0.0.4:5090', dstUri: null, path: null, q: -1, flags: 0, socket: null });
      return h.fn('t_relay', ctx);
    });
    const a = h.sentTo(5080)[0].text;
    const b = h.sentTo(5090)[0].text;
    h.reply(a, 503, 'Service Unavailable', { toTag: 'x' });
    expect(h.sentTo(UAC.port).length).toBe(1);
    h.reply(b, 486, 'Busy Here', { toTag: 'y', from: { ip: '127.0.0.4', port: 5090 } });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 486 Busy Here');
  });

  it('401 and 407 from two branches: the 401 goes upstream carrying both challenges', () => {
    const h = harness();
    h.request(invite(), (ctx) => {
      ctx.branches.push({ uri: 'sip:carol@127.0.0.4:5090', dstUri: null, path: null, q: -1, flags: 0, socket: null });
      return h.fn('t_relay', ctx);
    });
    h.reply(h.sentTo(5090)[0].text, 407, 'Proxy Authentication Required', { toTag: 'y', from: { ip: '127.0.0.4', port: 5090 }, headers: ['Proxy-Authenticate: Digest realm="b", nonce="2"'] });
    h.reply(h.sentTo(5080)[0].text, 401, 'Unauthorized', { toTag: 'x', headers: ['WWW-Authenticate: Digest realm="a", nonce="1"'] });
    const up = h.sentTo(UAC.port).pop()!.text;
    expect(up).toMatch(/^SIP\/2\.0 401 Unauthorized\r\n/);
    expect(up).toContain('WWW-Authenticate: Digest realm="a", nonce="1"\r\n');
    expect(up).toContain('Proxy-Authenticate: Digest realm="b", nonce="2"\r\n');
    // in the header section, before the empty line; nothing after it (no body)
    expect(up.indexOf('Proxy-Authenticate')).toBeLessThan(up.indexOf('\r\n\r\n'));
    expect(up.endsWith('\r\n\r\n')).toBe(true);
  });

  it('a 6xx cancels the other branches', () => {
    const h = harness();
    h.request(invite(), (ctx) => {
      ctx.branches.push({ uri: 'sip:carol@127.0.0.4:5090', dstUri: null, path: null, q: -1, flags: 0, socket: null });
      return h.fn('t_relay', ctx);
    });
    const a = h.sentTo(5080)[0].text;
    const b = h.sentTo(5090)[0].text;
    h.reply(b, 180, 'Ringing', { toTag: 'y', from: { ip: '127.0.0.4', port: 5090 } });
    h.reply(a, 603, 'Decline', { toTag: 'x' });
    expect(h.sentTo(5090).filter((s) => s.text.startsWith('CANCEL')).length).toBe(1);
    h.reply(b, 487, 'Request Terminated', { toTag: 'y', from: { ip: '127.0.0.4', port: 5090 } });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 603 Decline');
  });

  it('t_reply in failure_route replaces the picked reply', () => {
    const h = harness({ 'failure:F': (ctx: RunCtx) => h.fn('t_reply', ctx, 480, 'Gone Fishing') });
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'F'); return h.fn('t_relay', ctx); });
    h.reply(h.sentTo(5080)[0].text, 404, 'Not Found', { toTag: 'x' });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 480 Gone Fishing');
  });

  it('an unknown failure route is refused at fixup with the call position', () => {
    const h = harness();
    const err = (() => {
      try {
        h.fn('t_on_failure', {} as RunCtx, 'MISSING');
      } catch (e) {
        return e as { message: string; pos?: unknown };
      }
      return null;
    })();
    expect(err?.message).toMatch(/failure_route\[MISSING\] is not defined/);
    expect(err?.pos).toEqual({ file: 'test.cfg', line: 1, column: 1 });
  });
});

describe('tm: local replies and suspend', () => {
  it('t_newtran + t_reply: reply sent statefully and retransmitted on a request retransmission', () => {
    const h = harness();
    h.request(invite({ method: 'MESSAGE' }), (ctx) => { h.fn('t_newtran', ctx); return h.fn('t_reply', ctx, 202, 'Accepted'); });
    h.request(invite({ method: 'MESSAGE' }), (ctx) => h.fn('t_newtran', ctx));
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 202 Accepted', 'SIP/2.0 202 Accepted']);
    h.clock.advance(5000);
    expect(h.engine.table.size).toBe(0);
  });

  it('a 2xx from t_reply to an INVITE repeats (T1 doubling) until its ACK, which ends here', () => {
    const h = harness();
    h.request(invite(), (ctx) => { h.fn('t_newtran', ctx); return h.fn('t_reply', ctx, 200, 'OK'); });
    const ok = h.sentTo(UAC.port)[0].text;
    const tag = /To: <sip:bob@127\.0\.0\.3>;tag=([0-9a-f]+)/.exec(ok)![1];
    h.clock.advance(1600);
    expect(h.sentTo(UAC.port).map((s) => s.at)).toEqual([0, 500, 1500]);
    let rc = 9;
    const ack = invite({ method: 'ACK', branch: 'z9hG4bK-new-ack' }).replace('To: <sip:bob@127.0.0.3>', `To: <sip:bob@127.0.0.3>;tag=${tag}`);
    h.request(ack, (ctx) => { rc = h.fn('t_relay', ctx); });
    expect(rc).toBe(0);
    expect(h.sentTo(5080)).toEqual([]);
    h.clock.advance(4000);
    expect(h.sentTo(UAC.port).length).toBe(3);
    h.clock.advance(2000);
    expect(h.engine.table.size).toBe(0);
  });

  it('t_replicate sends a copy statefully; its replies stay here while the script answers itself', () => {
    const h = harness();
    h.request(invite({ method: 'REGISTER', ruri: 'sip:127.0.0.1' }), (ctx) => {
      h.fn('t_replicate', ctx, 'sip:127.0.0.9:5099');
      return h.fn('t_reply', ctx, 200, 'Saved');
    });
    const copy = h.sentTo(5099)[0].text;
    expect(copy).toMatch(/^REGISTER sip:127\.0\.0\.1 SIP\/2\.0\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1:5060;branch=z9hG4bK/);
    h.reply(copy, 200, 'OK from the copy', { toTag: 'r', from: { ip: '127.0.0.9', port: 5099 } });
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 200 Saved']);
    h.clock.advance(5000);
    expect(h.engine.table.size).toBe(0);
  });

  it('over TCP: replies go back on the connection; a negative reply is not repeated, a local 2xx is', () => {
    const h = harness();
    h.request(invite(), (ctx) => h.fn('t_relay_to_tcp', ctx), UAC, 'tcp');
    const up = () => h.sent.filter((s) => s.dst.connId === 7);
    expect(up()[0].dst).toMatchObject({ proto: 'tcp', address: '127.0.0.2', port: 5070, connId: 7 });
    const down = h.sent.find((s) => s.text.startsWith('INVITE'))!;
    expect(down.dst.proto).toBe('tcp');
    expect(down.text).toMatch(/^Via: SIP\/2\.0\/TCP 127\.0\.0\.1:5060;branch=/m);
    h.clock.advance(2000);
    expect(h.sent.filter((s) => s.text.startsWith('INVITE')).length).toBe(1); // no retransmission on TCP
    h.reply(down.text, 486, 'Busy Here', { toTag: 'x' });
    h.clock.advance(4000);
    expect(up().map((s) => s.text.slice(0, 11))).toEqual(['SIP/2.0 100', 'SIP/2.0 486']);

    h.request(invite({ callId: 'tcp-2', branch: 'z9hG4bK-t2' }), (ctx) => { h.fn('t_newtran', ctx); return h.fn('t_reply', ctx, 200, 'OK'); }, UAC, 'tcp');
    h.clock.advance(1600);
    expect(up().filter((s) => s.text.includes('tcp-2')).map((s) => s.at - h.sent.find((x) => x.text.includes('tcp-2'))!.at)).toEqual([0, 500, 1500]);
  });

  it('t_suspend parks the transaction; t_continue resumes it in a route that relays', () => {
    const h = harness({ 'request:RESUME': (ctx: RunCtx) => h.fn('t_relay', ctx) });
    let id: { hash: number; label: number } | null = null;
    h.request(invite(), (ctx) => { id = h.engine.suspend(ctx); return 0; });
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us']);
    expect(h.sentTo(5080).length).toBe(0);
    h.core.timer.setTimeout(() => h.engine.resume(id!.hash, id!.label, 'RESUME'), 300);
    h.clock.advance(300);
    expect(h.firstLines(h.sentTo(5080))).toEqual(['INVITE sip:bob@127.0.0.3:5080 SIP/2.0']);
    h.reply(h.sentTo(5080)[0].text, 200, 'OK', { toTag: 'b' });
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 200 OK');
  });

  it('a suspended transaction never continued times out with 408', () => {
    const h = harness();
    h.request(invite({ method: 'OPTIONS' }), (ctx) => { h.engine.suspend(ctx); return 0; });
    h.clock.advance(30000);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 408 Request Timeout']);
  });
});
