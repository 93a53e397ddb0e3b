import { ModuleHarness } from '@sipr/sdk';
import { RouteType, type RunCtx } from '@sipr/core';

const options = (branch = 'z9hG4bK-1', extra = '') =>
  'OPTIONS sip:bob@127.0.0.1:5060 SIP/2.0\r\n'
  + `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=${branch};rport\r\n`
  + 'From: <sip:alice@127.0.0.1>;tag=abc\r\n'
  + 'To: <sip:bob@127.0.0.1>\r\n'
  + 'Call-ID: c1@127.0.0.1\r\n'
  + 'CSeq: 1 OPTIONS\r\n'
  + extra
  + 'Max-Forwards: 70\r\n'
  + 'Content-Length: 0\r\n\r\n';

const TAG = /;tag=([0-9a-f]{32}\.[0-9a-f]{4})\r\n/;

describe('sl_send_reply', () => {
  let h: ModuleHarness;
  beforeEach(async () => {
    h = await ModuleHarness.create({ modules: ['sl'] });
  });
  afterEach(() => h.destroy());

  test('sends the reply bytes to the Via port when the request has no rport', () => {
    const { rc } = h.call('sl_send_reply', ['404', 'Not Here'], h.message(options().replace(';rport', ''), { port: 5080 }));
    expect(rc).toBe(1);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].dst).toMatchObject({ proto: 'udp', address: '127.0.0.1', port: 5070 });
    const text = h.sentText()[0];
    const tag = TAG.exec(text)![1];
    expect(text).toBe(
      'SIP/2.0 404 Not Here\r\n'
      + 'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n'
      + 'From: <sip:alice@127.0.0.1>;tag=abc\r\n'
      + `To: <sip:bob@127.0.0.1>;tag=${tag}\r\n`
      + 'Call-ID: c1@127.0.0.1\r\n'
      + 'CSeq: 1 OPTIONS\r\n'
      + 'Content-Length: 0\r\n\r\n',
    );
  });

  test('with rport the reply goes to the source port', () => {
    h.call('sl_send_reply', ['200', 'OK'], h.message(options(), { port: 5080 }));
    expect(h.sent[0].dst).toMatchObject({ address: '127.0.0.1', port: 5080 });
  });

  test('the To-tag is stable for a retransmission and differs per Via branch', () => {
    h.call('sl_send_reply', ['200', 'OK'], h.message(options()));
    h.call('sl_send_reply', ['200', 'OK'], h.message(options()));
    h.call('sl_send_reply', ['200', 'OK'], h.message(options('z9hG4bK-2')));
    const [a, b, c] = h.sentText().map((t) => TAG.exec(t)![1]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(c.slice(0, 33)).toBe(a.slice(0, 33));
  });

  test('100 Trying gets no To-tag', () => {
    h.call('sl_send_reply', ['100', 'Trying'], h.message(options()));
    expect(h.sentText()[0]).toContain('\r\nTo: <sip:bob@127.0.0.1>\r\n');
  });

  test('code and reason may come from pseudo-variables', () => {
    h.core.pv.registerClass({ name: 'tmethod', inner: 'none', get: (ctx) => ctx.msg.method });
    const ctx = h.context(h.message(options()));
    ctx.rc = 418;
    h.call('sl_send_reply', ['$rc', 'Bad $tmethod'], ctx);
    expect(h.sentText()[0].split('\r\n')[0]).toBe('SIP/2.0 418 Bad OPTIONS');
  });

  test('a constant code outside 100..699 or not a number is refused at start with the position', () => {
    const messages: string[] = [];
    for (const code of ['42', '700', 'abc']) {
      let err: unknown;
      try {
        h.call('sl_send_reply', [code, 'No'], h.message(options()));
      } catch (e) {
        err = e;
      }
      messages.push((err as Error).message);
      expect((err as { pos: { file: string; line: number } }).pos).toMatchObject({ file: expect.stringMatching(/harness\.cfg$/), line: expect.any(Number) });
    }
    expect(messages).toEqual([
      'sl_send_reply(): parameter 1: invalid reply code "42" (module sl)',
      'sl_send_reply(): parameter 1: invalid reply code "700" (module sl)',
      'sl_send_reply(): parameter 1: "abc" is not an integer (module sl)',
    ]);
    expect(h.sent).toHaveLength(0);
  });

  test('a variable code that is not an integer sends default_code, a null reason default_reason (as kamailio 5.6)', () => {
    h.core.pv.registerClass({ name: 'tmethod', inner: 'none', get: (ctx) => ctx.msg.method });
    h.core.pv.registerClass({ name: 'tnull', inner: 'none', get: () => null });
    h.core.pv.registerClass({ name: 'tcode', inner: 'none', get: () => '404' });
    expect(h.call('sl_send_reply', ['$tmethod', '$tnull'], h.message(options())).rc).toBe(1);
    // a string "404" is not an integer value either (Kamailio: "Could not convert PV to int")
    expect(h.call('sl_send_reply', ['$tcode', 'str var'], h.message(options())).rc).toBe(1);
    expect(h.sentText().map((t) => t.split('\r\n')[0])).toEqual(['SIP/2.0 500 Internal Server Error', 'SIP/2.0 500 str var']);
    expect(h.logs.join('\n')).toMatch(/sl: cannot use reply code "OPTIONS" \(\$tmethod\), sending 500/);
  });

  test('default_code and default_reason are modparams', async () => {
    const h2 = await ModuleHarness.create({ modules: ['sl'], params: [['sl', 'default_code', 503], ['sl', 'default_reason', 'Try Later']] });
    h2.core.pv.registerClass({ name: 'tnull', inner: 'none', get: () => null });
    h2.call('sl_send_reply', ['$tnull', '$tnull'], h2.message(options()));
    expect(h2.sentText()[0].split('\r\n')[0]).toBe('SIP/2.0 503 Try Later');
    await h2.destroy();
  });

  test('send_reply replies through tm when the request has a transaction, else statelessly', async () => {
    const replied: unknown[] = [];
    const tx = { id: 't1' };
    const h2 = await ModuleHarness.create({ modules: ['sl'] });
    // a stand-in for tm's api.tm(core): the current transaction is the one in ctx.slots
    h2.core.modules.registerDescriptor({
      name: 'tm',
      api: { tm: () => ({ current: (ctx: RunCtx) => ctx.slots.get('tm') ?? null, replyLocal: (t: unknown, c: number, r: string) => { replied.push([t, c, r]); return true; } }) },
    });
    await h2.core.modules.initAll();
    const ctx = h2.context(h2.message(options()));
    ctx.slots.set('tm', tx);
    expect(h2.call('send_reply', ['486', 'Busy'], ctx).rc).toBe(1);
    expect(replied).toEqual([[tx, 486, 'Busy']]);
    expect(h2.sent).toHaveLength(0);
    expect(h2.call('send_reply', ['486', 'Busy'], h2.message(options())).rc).toBe(1);
    expect(h2.sent).toHaveLength(1);
    await h2.destroy();
  });

  test('ACKs are never answered', () => {
    const ack = options().replace('OPTIONS sip', 'ACK sip').replace('CSeq: 1 OPTIONS', 'CSeq: 1 ACK');
    expect(h.call('sl_send_reply', ['200', 'OK'], h.message(ack)).rc).toBe(-1);
    expect(h.sent).toHaveLength(0);
  });

  test('3xx replies carry the target set as Contact', () => {
    const ctx = h.context(h.message(options()));
    ctx.msg.newUri = 'sip:bob@10.0.0.1';
    ctx.branches.push({ uri: 'sip:bob@10.0.0.2', dstUri: null, path: null, q: 500, flags: 0, socket: null });
    h.call('sl_send_reply', ['302', 'Moved'], ctx);
    expect(h.sentText()[0]).toContain('\r\nContact: <sip:bob@10.0.0.1>, <sip:bob@10.0.0.2>;q=0.5\r\nContent-Length: 0\r\n\r\n');
  });

  test('is a request-route function', () => {
    expect(() => h.call('sl_send_reply', ['200', 'OK'], h.message(options()), RouteType.ONREPLY)).toThrow(/cannot be used in this route type/);
  });

  test('sl_reply_error sends Kamailio\'s default error reply', () => {
    expect(h.call('sl_reply_error', [], h.message(options())).rc).toBe(1);
    expect(h.sentText()[0].split('\r\n')[0]).toBe("SIP/2.0 500 I'm terribly sorry, server error occurred (1/SL)");
  });

  test('statistics and the sl.stats RPC count replies by class', async () => {
    for (const c of ['200', '202', '404', '486', '100']) h.call('sl_send_reply', [c, 'R'], h.message(options()));
    const stat = (n: string) => h.core.modules.get('sl')!.descriptor.stats.find((s) => s.name === n)!.get!();
    expect([stat('200_replies'), stat('202_replies'), stat('404_replies'), stat('4xx_replies'), stat('1xx_replies'), stat('sent_replies')]).toEqual([1, 1, 1, 1, 1, 5]);
    const r = await h.core.rpc.invoke('sl.stats', []);
    expect(r.values[0]).toMatchObject({ 200: 1, 202: 1, 404: 1, '4xx': 1, 500: 0 });
  });
});

describe('ACK filtering', () => {
  test('an ACK to our own reply is dropped before the script, others pass', async () => {
    const h = await ModuleHarness.create({ modules: ['sl'] });
    const invite = options().replace(/OPTIONS/g, 'INVITE');
    h.call('sl_send_reply', ['486', 'Busy Here'], h.message(invite));
    const tag = TAG.exec(h.sentText()[0])![1];
    const ack = (t: string) => h.context(h.message(invite.replace(/INVITE/g, 'ACK').replace('To: <sip:bob@127.0.0.1>', `To: <sip:bob@127.0.0.1>;tag=${t}`)));
    expect(h.core.hooks.preScript.call(ack(tag))).toBe(0);
    expect(h.core.hooks.preScript.call(ack('someone-else'))).toBeUndefined();
    expect(h.core.modules.get('sl')!.descriptor.stats.find((s) => s.name === 'received_ACKs')!.get!()).toBe(1);
    await h.destroy();
  });
});
