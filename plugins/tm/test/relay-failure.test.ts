/**
 * A t_relay that cannot send any branch: the script's own reply (t_reply, or sl's stateless one)
 * is the only final reply; without one, tm answers at the end of the script.
 */
import type { Core, RunCtx } from '@sipr/core';
import { harness, invite, UAC } from './harness';

type SlReply = (ctx: RunCtx, code: number, reason: string) => number;

/** The harness with pv, tm, tmx and sl loaded as `loadmodule` does. */
function withSl() {
  const h = harness({}, true);
  h.core.modules.load('sl');
  void h.core.modules.get('sl')!.descriptor.init?.(h.core as Core);
  const slReply = h.core.modules.findExport<SlReply>('sl', 'reply')!;
  return { ...h, slReply };
}

const unreachable = (ctx: RunCtx) => { ctx.msg.dstUri = 'sip:nowhere.invalid'; };
const finals = (lines: string[]) => lines.filter((l) => !/^SIP\/2\.0 1\d\d /.test(l));

describe('tm: relay failure answered once', () => {
  it('without a script reply, tm sends its error reply after the script', () => {
    const h = withSl();
    let rc = 0;
    h.request(invite(), (ctx) => { unreachable(ctx); rc = h.fn('t_relay', ctx); });
    expect(rc).toBeLessThan(0);
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 478 Unresolvable destination']);
  });

  it('if (!t_relay()) sl_reply_error(): only the stateless 500 goes out; a retransmission is answered by the script again', () => {
    const h = withSl();
    const route = (ctx: RunCtx) => {
      unreachable(ctx);
      if (h.fn('t_relay', ctx) < 0) h.slReply(ctx, 500, "I'm terribly sorry, server error occurred (1/SL)");
    };
    h.request(invite(), route);
    expect(finals(h.firstLines(h.sentTo(UAC.port)))).toEqual(["SIP/2.0 500 I'm terribly sorry, server error occurred (1/SL)"]);
    expect(h.engine.table.size).toBe(0);
    h.clock.advance(40000);
    expect(finals(h.firstLines(h.sentTo(UAC.port))).length).toBe(1);
    h.request(invite(), route);
    expect(finals(h.firstLines(h.sentTo(UAC.port)))).toEqual([
      "SIP/2.0 500 I'm terribly sorry, server error occurred (1/SL)", "SIP/2.0 500 I'm terribly sorry, server error occurred (1/SL)",
    ]);
  });

  it('a stateless 1xx does not count as the answer', () => {
    const h = withSl();
    h.request(invite({ method: 'MESSAGE' }), (ctx) => {
      h.slReply(ctx, 183, 'Progress');
      unreachable(ctx);
      h.fn('t_relay', ctx);
    });
    expect(h.firstLines(h.sentTo(UAC.port))).toEqual(['SIP/2.0 183 Progress', 'SIP/2.0 478 Unresolvable destination']);
  });

  it('t_reply after the failed relay is the one final reply, kept for retransmissions', () => {
    const h = withSl();
    const route = (ctx: RunCtx) => {
      unreachable(ctx);
      if (h.fn('t_relay', ctx) < 0) h.fn('t_reply', ctx, '503', 'No Route');
    };
    h.request(invite(), route);
    expect(finals(h.firstLines(h.sentTo(UAC.port)))).toEqual(['SIP/2.0 503 No Route']);
    h.request(invite(), (ctx) => h.fn('t_check_trans', ctx));
    expect(finals(h.firstLines(h.sentTo(UAC.port)))).toEqual(['SIP/2.0 503 No Route', 'SIP/2.0 503 No Route']);
  });
});
