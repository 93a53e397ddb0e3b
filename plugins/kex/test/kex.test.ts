import { ModuleHarness } from '@sipr/sdk';
import { createRunCtx, RunFlag, type ReceiveInfo } from '@sipr/core';

const req = (ruri = 'sip:bob@example.com') => `INVITE ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-k\r\n`
  + 'From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: k1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';

let h: ModuleHarness;
beforeEach(async () => {
  h = await ModuleHarness.create({ modules: ['pv', 'sl', 'kex'] });
});
afterEach(() => h.destroy());

test('script flags', () => {
  const ctx = h.context(h.message(req()));
  expect(h.call('issflagset', ['3'], ctx).rc).toBe(-1);
  expect(h.call('setsflag', ['3'], ctx).rc).toBe(1);
  expect(ctx.sflags).toBe(8);
  expect(h.call('issflagset', ['3'], ctx).rc).toBe(1);
  expect(h.call('resetsflag', ['3'], ctx).rc).toBe(1);
  expect(ctx.sflags).toBe(0);
  expect(() => h.call('setsflag', ['32'], ctx)).toThrow(/flag 32 out of range 0..31/);
});

test('branch flags of branch 0 and of appended branches; flag from a variable', () => {
  const ctx = h.context(h.message(req()));
  expect(h.call('setbflag', ['1'], ctx).rc).toBe(1);
  expect(ctx.msg.bflags).toBe(2);
  h.call('km_append_branch', ['sip:c@10.0.0.3'], ctx);
  expect(h.call('setbflag', ['4', '1'], ctx).rc).toBe(1);
  expect(ctx.branches[0].flags).toBe(16);
  expect(h.call('isbflagset', ['4', '1'], ctx).rc).toBe(1);
  expect(h.call('isbflagset', ['4'], ctx).rc).toBe(-1);
  expect(h.call('resetbflag', ['4', '1'], ctx).rc).toBe(1);
  expect(ctx.branches[0].flags).toBe(0);
  expect(h.call('setbflag', ['1', '5'], ctx).rc).toBe(-1);
  h.core.pv.parse('$var(f)').set(ctx, 7);
  expect(h.call('setbflag', ['$var(f)'], ctx).rc).toBe(1);
  expect(ctx.msg.bflags).toBe(2 | 128);
});

test('km_append_branch: current R-URI with $du and flags, or a given URI and q', () => {
  const ctx = h.context(h.message(req()));
  ctx.msg.newUri = 'sip:new@10.0.0.1';
  ctx.msg.dstUri = 'sip:10.0.0.254';
  ctx.msg.bflags = 4;
  expect(h.call('km_append_branch', [], ctx).rc).toBe(1);
  expect(h.call('km_append_branch', ['sip:$rU@10.0.0.2', '0.5'], ctx).rc).toBe(1);
  expect(ctx.branches).toEqual([
    { uri: 'sip:new@10.0.0.1', dstUri: 'sip:10.0.0.254', path: null, q: -1, flags: 4, socket: null },
    { uri: 'sip:new@10.0.0.2', dstUri: null, path: null, q: 500, flags: 0, socket: null },
  ]);
  expect(h.call('km_append_branch', ['sip:x@y', '2'], ctx).rc).toBe(-1);
});

test('setdsturi / isdsturiset / resetdsturi and pv_printf', () => {
  const ctx = h.context(h.message(req()));
  expect(h.call('isdsturiset', [], ctx).rc).toBe(-1);
  expect(h.call('setdsturi', ['sip:$rU@10.1.1.1:5080'], ctx).rc).toBe(1);
  expect(ctx.msg.dstUri).toBe('sip:bob@10.1.1.1:5080');
  expect(h.call('isdsturiset', [], ctx).rc).toBe(1);
  expect(h.call('resetdsturi', [], ctx).rc).toBe(1);
  expect(ctx.msg.dstUri).toBeNull();
  expect(h.call('pv_printf', ['$var(x)', '$rm to $rU'], ctx).rc).toBe(1);
  expect(h.core.pv.parse('$var(x)').get(ctx)).toBe('INVITE to bob');
  expect(h.call('pv_printf', ['$ru', 'sip:alice@example.net'], ctx).rc).toBe(1);
  expect(ctx.msg.newUri).toBe('sip:alice@example.net');
});

test('core statistics count received, sent and dropped messages; stats RPCs', async () => {
  const rcv: ReceiveInfo = { srcIp: '127.0.0.1', srcPort: 5070, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4, socket: h.socket };
  const hooks = h.core.hooks;
  hooks.netDataIn.call(Buffer.from(req()), rcv);
  hooks.netDataIn.call(Buffer.from(req()), rcv);
  hooks.netDataIn.call(Buffer.from('SIP/2.0 200 OK\r\n\r\n'), rcv);
  hooks.netDataIn.call(Buffer.from('\r\n\r\n'), rcv);
  const m = h.message(req());
  h.call('sl_send_reply', ['404', 'Nope'], m);
  for (const p of h.sent) hooks.netDataOut.call(p.buf, p.dst);
  hooks.netDataOut.call(Buffer.from(req()), { proto: 'udp', address: '127.0.0.1', port: 5080 });
  const dropped = createRunCtx(h.core, m, 1);
  dropped.runFlags = RunFlag.DROP;
  hooks.postScript.call(dropped);
  hooks.postScript.call(createRunCtx(h.core, m, 1));
  const bad = Buffer.from('OPTIONS sip:x@y SIP/2.0\r\nVia: garbage\r\n\r\n');
  hooks.netDataIn.call(bad, rcv);
  hooks.parseError.call(bad, rcv, new Error('bad via'));

  const r = await h.core.rpc.invoke('stats.get_statistics', ['core:']);
  expect(r.values).toEqual([
    'core:rcv_requests = 2', 'core:rcv_replies = 1', 'core:fwd_requests = 1', 'core:fwd_replies = 1',
    'core:drop_requests = 1', 'core:drop_replies = 0', 'core:unsupported_methods = 0', 'core:bad_msg_hdr = 1',
  ]);
  expect((await h.core.rpc.invoke('stats.get_statistics', ['rcv_requests', 'sl:404_replies'])).values).toEqual(['core:rcv_requests = 2', 'sl:404_replies = 1']);
  expect((await h.core.rpc.invoke('stats.get_statistics', ['all'])).values.length).toBeGreaterThan(6);
  expect((await h.core.rpc.invoke('stats.clear_statistics', ['rcv_requests'])).values).toEqual(['core:rcv_requests = 2']);
  expect((await h.core.rpc.invoke('stats.get_statistics', ['rcv_requests'])).values).toEqual(['core:rcv_requests = 0']);
  await h.core.rpc.invoke('stats.reset_statistics', ['core:']);
  expect((await h.core.rpc.invoke('stats.get_statistics', ['fwd_replies'])).values).toEqual(['core:fwd_replies = 0']);
  expect(h.core.pv.parse('$stat(drop_requests)').get(h.context(m))).toBe(0);
});

test('core.pwd and core.arg', async () => {
  expect((await h.core.rpc.invoke('core.pwd', [])).values).toEqual([process.cwd()]);
  expect((await h.core.rpc.invoke('core.arg', [])).values).toEqual(process.argv.slice(1));
});

test('core.uptime', async () => {
  const r = await h.core.rpc.invoke('core.uptime', []);
  const v = r.values[0] as { now: string; up_since: string; uptime: number };
  expect(v.uptime).toBeGreaterThanOrEqual(0);
  expect(Date.parse(v.up_since)).toBeLessThanOrEqual(Date.parse(v.now));
});

test('through the server path: unparsable messages count in bad_msg_hdr, not as received; force_rport=yes', async () => {
  const hc = await ModuleHarness.fromConfig(`#!KAMAILIO
force_rport=yes
loadmodule "pv"
loadmodule "sl"
loadmodule "kex"
request_route { sl_send_reply("200", "bad=$stat(bad_msg_hdr) rcv=$stat(rcv_requests) unsup=$stat(unsupported_methods)"); }
`);
  try {
    expect(hc.receive('OPTIONS sip:x@y SIP/2.0\r\nVia: garbage\r\nCall-ID: b\r\n\r\n')).toHaveLength(0);
    expect(hc.receive('SIP/2.0 200 OK\r\nVia: bad bad\r\n\r\n')).toHaveLength(0);
    expect(hc.receive(req().replace(/INVITE/g, 'FOO'))[0].buf.toString('latin1')).toMatch(/^SIP\/2\.0 200 bad=2 rcv=1 unsup=1\r\n/);
    const out = hc.receive(req().replace(/^INVITE/, 'invite'), { port: 5072 });
    expect(out).toHaveLength(1);
    const text = out[0].buf.toString('latin1');
    expect(text).toMatch(/^SIP\/2\.0 200 bad=2 rcv=2 unsup=1\r\n/);
    expect(text).toContain('\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-k;rport=5072\r\n');
    expect(out[0].dst).toMatchObject({ port: 5072 });
  } finally {
    hc.destroy();
  }
});
