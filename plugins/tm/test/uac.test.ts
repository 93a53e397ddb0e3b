import { RouteType, type RunCtx } from '@sipr/core';
import { adaptSer } from '@sipr/compat';
import tmModule from '../src';
import { harness, invite, UAC } from './harness';

const tm = adaptSer(tmModule);

function rpc(h: ReturnType<typeof harness>, name: string, params: unknown[]) {
  const m = tm.rpc.find((r) => r.name === name)!;
  const out: { values: unknown[]; fault: [number, string] | null } = { values: [], fault: null };
  const done = m.handler({ params, add: (v) => out.values.push(v), fault: (c, msg) => { out.fault = [c, msg]; } });
  return { out, done: Promise.resolve(done) };
}

describe('tm: requests sent by the server (t_uac_dlg)', () => {
  it('sends the request statefully, runs event_route[tm:local-request], retransmits, returns the final reply', async () => {
    const seen: string[] = [];
    const h = harness({
      'event:tm:local-request': (ctx: RunCtx) => { seen.push(`${ctx.routeType === RouteType.LOCAL ? 'LOCAL' : ctx.routeType} ${ctx.msg.method} ${ctx.msg.ruri}`); return 1; },
    });
    const { out, done } = rpc(h, 'tm.t_uac_dlg', ['OPTIONS', 'sip:bob@127.0.0.3:5080', '.', '.', 'From: <sip:sipr@127.0.0.1>\r\nTo: <sip:bob@127.0.0.3>']);
    expect(seen).toEqual(['LOCAL OPTIONS sip:bob@127.0.0.3:5080']);
    const sent = h.sentTo(5080);
    expect(sent[0].text).toMatch(/^OPTIONS sip:bob@127\.0\.0\.3:5080 SIP\/2\.0\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1:5060;branch=z9hG4bK[0-9a-f.]+\r\n/);
    expect(sent[0].text).toMatch(/From: <sip:sipr@127\.0\.0\.1>;tag=[0-9a-f]{16}\r\n/);
    expect(sent[0].text).toMatch(/Call-ID: [0-9a-f]+\r\nCSeq: 10 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n$/);
    h.clock.advance(500);
    expect(h.sentTo(5080).length).toBe(2);
    h.reply(sent[0].text, 200, 'OK', { toTag: 'x' });
    await done;
    expect(out).toEqual({ values: ['200 OK'], fault: null });
    h.clock.advance(5000);
    expect(h.engine.table.size).toBe(0);
  });

  it('times out with 408 when nobody answers', async () => {
    const h = harness();
    const { out, done } = rpc(h, 'tm.t_uac_dlg', ['MESSAGE', 'sip:bob@127.0.0.3:5080', '.', '.', 'From: <sip:a@b>\r\nTo: <sip:bob@c>', 'hi']);
    expect(h.sentTo(5080)[0].text).toMatch(/Content-Length: 2\r\n\r\nhi$/);
    h.clock.advance(30000);
    await done;
    expect(out.values).toEqual(['408 Request Timeout']);
  });

  it('faults without From/To and for an unreachable target', async () => {
    const h = harness();
    const a = rpc(h, 'tm.t_uac_dlg', ['OPTIONS', 'sip:bob@127.0.0.3', '.', '.', 'To: <sip:bob@c>']);
    await a.done;
    expect(a.out.fault).toEqual([400, 'From and To headers are required']);
    const b = rpc(h, 'tm.t_uac_dlg', ['OPTIONS', 'sip:bob@example.invalid', '.', '.', 'From: <sip:a@b>\r\nTo: <sip:bob@c>']);
    await b.done;
    expect(b.out.fault).toEqual([500, 'cannot send to sip:bob@example.invalid']);
  });

  it('tm.t_continue resumes a parked transaction; tm.reply answers one', async () => {
    const h = harness({ 'request:GO': (ctx: RunCtx) => h.fn('t_relay', ctx) });
    let id: { hash: number; label: number } | null = null;
    h.request(invite(), (ctx) => { id = h.engine.suspend(ctx); return 0; });
    const bad = rpc(h, 'tm.t_continue', [id!.hash, id!.label, 'NOPE']);
    await bad.done;
    expect(bad.out.fault).toEqual([400, 'route[NOPE] is not defined']);
    const go = rpc(h, 'tm.t_continue', [id!.hash, id!.label, 'GO']);
    await go.done;
    expect(go.out).toEqual({ values: ['ok'], fault: null });
    expect(h.firstLines(h.sentTo(5080))).toEqual(['INVITE sip:bob@127.0.0.3:5080 SIP/2.0']);
    const again = rpc(h, 'tm.t_continue', [id!.hash, id!.label, 'GO']);
    await again.done;
    expect(again.out.fault).toEqual([481, 'no such parked transaction']);

    h.request(invite({ method: 'MESSAGE', callId: 'm', branch: 'z9hG4bK-m' }), (ctx) => { id = h.engine.suspend(ctx); return 0; });
    const r = rpc(h, 'tm.reply', [202, 'Accepted Later', id!.hash, id!.label]);
    await r.done;
    expect(r.out.values).toEqual(['ok']);
    expect(h.firstLines(h.sentTo(UAC.port)).pop()).toBe('SIP/2.0 202 Accepted Later');
  });

  it('tm.stats and tm.list show the table', async () => {
    const h = harness();
    rpc(h, 'tm.t_uac_dlg', ['OPTIONS', 'sip:bob@127.0.0.3:5080', '.', '.', 'From: <sip:a@b>\r\nTo: <sip:bob@c>']);
    const s = rpc(h, 'tm.stats', []);
    await s.done;
    expect(s.out.values[0]).toMatchObject({ current: 1, total: 1, total_local: 1 });
    const l = rpc(h, 'tm.list', []);
    await l.done;
    expect(l.out.values[0]).toMatchObject({ method: 'OPTIONS', local: 1, branches: 1 });
  });
});
