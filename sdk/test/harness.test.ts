import { ConfigErrors } from '@sipr/core';
import { ModuleHarness } from '@sipr/sdk';

const CFG = `#!KAMAILIO
loadmodule "pv.so"
loadmodule "sl.so"
loadmodule "maxfwd.so"
modparam("maxfwd", "max_limit", 20)

request_route {
  if (!mf_process_maxfwd_header("10")) {
    sl_send_reply("483", "Too Many Hops");
    exit;
  }
  if (is_method("OPTIONS")) {
    sl_send_reply("200", "Keepalive");
    exit;
  }
  sl_send_reply("404", "Not Here");
}
`;

const request = (method: string, mf: string, branch = 'z9hG4bK-h') =>
  `${method} sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=${branch}\r\n`
  + `From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: h1\r\nCSeq: 1 ${method}\r\n${mf}Content-Length: 0\r\n\r\n`;

const status = (p: { buf: Buffer }[]) => p.map((x) => x.buf.toString('latin1').split('\r\n')[0]);

describe('a config run through the server message path', () => {
  let h: ModuleHarness;
  beforeAll(async () => {
    h = await ModuleHarness.fromConfig(CFG.replace('is_method("OPTIONS")', '$rm == "OPTIONS"'));
  });
  afterAll(() => h?.destroy());

  test('Max-Forwards 0 is answered 483 by the config', () => {
    expect(status(h.receive(request('OPTIONS', 'Max-Forwards: 0\r\n')))).toEqual(['SIP/2.0 483 Too Many Hops']);
  });

  test('other requests reach the rest of the route', () => {
    expect(status(h.receive(request('OPTIONS', 'Max-Forwards: 5\r\n')))).toEqual(['SIP/2.0 200 Keepalive']);
    expect(status(h.receive(request('INVITE', '')))).toEqual(['SIP/2.0 404 Not Here']);
  });

  test('an ACK to our own reply is absorbed by sl before the route runs', () => {
    const [reply] = h.receive(request('INVITE', '', 'z9hG4bK-ack'));
    const tag = /\r\nTo: [^\r]*;tag=([^\r]+)\r\n/.exec(reply.buf.toString('latin1'))![1];
    const ack = request('ACK', '', 'z9hG4bK-ack').replace('To: <sip:bob@127.0.0.1>', `To: <sip:bob@127.0.0.1>;tag=${tag}`);
    expect(h.receive(ack)).toEqual([]);
    expect(h.core.modules.get('sl')!.descriptor.stats.find((s) => s.name === 'received_ACKs')!.get!()).toBe(1);
  });
});

describe('config errors from the module layer carry file:line:column', () => {
  async function errorsOf(cfg: string): Promise<string> {
    try {
      const h = await ModuleHarness.fromConfig(cfg);
      await h.destroy();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigErrors);
      return (e as Error).message.replace(/^.*harness\.cfg:/gm, 'cfg:');
    }
    throw new Error('the config was accepted');
  }

  test('unknown module, bad modparam, bad fixup value, unknown function, wrong route', async () => {
    expect(await errorsOf('loadmodule "nosuch.so"\nrequest_route { exit; }\n')).toMatch(/^cfg:1:\d+: loadmodule "nosuch\.so": module not found/);
    expect(await errorsOf('loadmodule "maxfwd"\nmodparam("maxfwd", "max_limit", "20")\nrequest_route { exit; }\n'))
      .toMatch(/^cfg:2:\d+: modparam: parameter "max_limit" of type str not found in module maxfwd \(it takes an int\)$/m);
    expect(await errorsOf('loadmodule "sl"\nrequest_route {\n  sl_send_reply("99", "x");\n}\n'))
      .toMatch(/^cfg:3:\d+: sl_send_reply\(\): parameter 1: invalid reply code "99" \(module sl\)$/m);
    expect(await errorsOf('loadmodule "sl"\nrequest_route {\n  sl_send_reply("200");\n}\n')).toMatch(/^cfg:3:\d+: .*sl_send_reply/m);
    expect(await errorsOf('loadmodule "sl"\nonreply_route {\n  sl_send_reply("200", "OK");\n}\n')).toMatch(/^cfg:3:\d+: .*sl_send_reply/m);
  });
});

describe('call / callAsync', () => {
  test('an async module function is awaited by callAsync and refused by call', async () => {
    const h = await ModuleHarness.create();
    h.core.modules.registerDescriptor({
      name: 'slow',
      functions: [{ name: 'slow_lookup', arity: 1, allowed: 1, async: true, impl: async (_ctx, key: string) => (key === 'hit' ? 1 : -1) }],
    });
    const msg = h.message('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-a\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: a\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n');
    expect((await h.callAsync('slow_lookup', ['hit'], msg)).rc).toBe(1);
    const { rc, ctx } = await h.callAsync('slow_lookup', ['miss'], msg);
    expect([rc, ctx.rc]).toEqual([-1, -1]);
    expect(() => h.call('slow_lookup', ['hit'], msg)).toThrow('slow_lookup returned a Promise; use callAsync');
    expect(() => h.call('nope', [], msg)).toThrow('nope/0: unknown command, missing loadmodule?');
    await h.destroy();
  });
});
