import { RouteType, type RunCtx, type PvSpec } from '@sipr/core';
import { harness, invite, UAC } from '../../tm/test/harness';

describe('tmx', () => {
  it('$T_reply_code, $T_rpl and $T_req in failure_route; statistics count the outcome', () => {
    const seen: Record<string, unknown> = {};
    let pv!: (t: string) => PvSpec;
    const h = harness({
      'failure:F': (ctx: RunCtx) => {
        for (const name of ['$T_reply_code', '$T_branch_idx', '$T_rpl($rs)', '$T_req($rm)', '$T_reply_reason', '$T_rpl($hdr(To))']) seen[name] = pv(name).get(ctx);
        return 1;
      },
    }, true);
    pv = (t) => h.core.pv.parse(t);
    h.request(invite(), (ctx) => { h.fn('t_on_failure', ctx, 'F'); return h.fn('t_relay', ctx); });
    h.reply(h.sentTo(5080)[0].text, 486, 'Busy Here', { toTag: 'b9' });
    expect(seen).toEqual({
      '$T_reply_code': 486,
      '$T_branch_idx': 0,
      '$T_rpl($rs)': 486,
      '$T_req($rm)': 'INVITE',
      '$T_reply_reason': 'Busy Here',
      '$T_rpl($hdr(To))': '<sip:bob@127.0.0.3>;tag=b9',
    });
    const stat = (name: string) => h.core.modules.get('tmx')!.descriptor.stats.find((s) => s.name === name)!.get!();
    expect(stat('4xx_transactions')).toBe(1);
    expect(stat('UAS_transactions')).toBe(1);
    expect(stat('received_replies')).toBe(1);
    expect(stat('inuse_transactions')).toBe(1);
    h.clock.advance(5000);
    expect(stat('inuse_transactions')).toBe(0);
  });

  it('$T_inv reads the INVITE while a CANCEL is processed', () => {
    const h = harness({}, true);
    h.request(invite(), (ctx) => h.fn('t_relay', ctx));
    let from: unknown;
    h.request(invite({ method: 'CANCEL' }), (ctx) => { from = h.core.pv.parse('$T_inv($ci)').get(ctx); });
    expect(from).toBe('call-1@test');
  });

  it('t_cancel_branches("others") from a reply route cancels the other ringing branch', () => {
    let fnCall!: (ctx: RunCtx) => number;
    const h = harness({ 'onreply:R': (ctx: RunCtx) => (ctx.msg.status === 183 ? fnCall(ctx) : 1) }, true);
    const f = h.core.modules.get('tmx')!.descriptor.functions.find((x) => x.name === 't_cancel_branches')!;
    const pos = { file: 't.cfg', line: 1, column: 1 };
    const params = [{ value: 'others', pos }];
    const fixed = f.fixup!(params, { core: h.core, fn: f.name, routeType: RouteType.ONREPLY, pos, params });
    fnCall = (ctx) => f.impl(ctx, ...fixed) as number;
    h.request(invite(), (ctx) => {
      ctx.branches.push({ uri: 'sip:carol@127.0.0.4:5090', dstUri: null, path: null, q: -1, flags: 0, socket: null });
      h.fn('t_on_reply', ctx, 'R');
      return h.fn('t_relay', ctx);
    });
    h.reply(h.sentTo(5090)[0].text, 180, 'Ringing', { toTag: 'c', from: { ip: '127.0.0.4', port: 5090 } });
    h.reply(h.sentTo(5080)[0].text, 183, 'Progress', { toTag: 'b' });
    expect(h.sentTo(5090).filter((s) => s.text.startsWith('CANCEL')).length).toBe(1);
    expect(h.sentTo(5080).filter((s) => s.text.startsWith('CANCEL')).length).toBe(0);
    expect(h.firstLines(h.sentTo(UAC.port))).toContain('SIP/2.0 183 Progress');
  });

  it('refuses an unknown t_cancel_branches mode at fixup', () => {
    const h = harness({}, true);
    const f = h.core.modules.get('tmx')!.descriptor.functions.find((x) => x.name === 't_cancel_branches')!;
    const pos = { file: 't.cfg', line: 3, column: 5 };
    const params = [{ value: 'some', pos }];
    expect(() => f.fixup!(params, { core: h.core, fn: f.name, routeType: RouteType.ONREPLY, pos, params })).toThrow(/not all, others or this/);
  });
});
