/** Core actions of §7: R-URI edits, branches, flags, log, forward/send through a fake sender. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, run, recs, dir, errorsOf, invite } from './harness';
import type { Destination, Sender, SocketInfo } from '../../src/transport/types';
import { wasDropped } from '../../src/script/run-ctx';

test('rewrite/set family on the R-URI', async () => {
  const out = await recs(
    [
      'sethost("h.org"); rec("$ru");',
      'sethostport("10.0.0.1:5070"); rec("$ru");',
      'setuser("carol"); rec("$ru");',
      'setuserpass("dave:secret"); rec("$ru");',
      'setport("5080"); rec("$ru");',
      'prefix("00"); rec("$ru");',
      'strip(3); rec("$ru");',
      'strip_tail(2); rec("$ru");',
      'userphone(); rec("$ru");',
      'revert_uri(); rec("$ru");',
      'seturi("sip:x@y;transport=tcp"); rec("$ru");',
      'rewritehost("z"); rec("$ru");',
    ].join('\n'),
  );
  expect(out).toEqual([
    'sip:bob@h.org',
    'sip:bob@10.0.0.1:5070',
    'sip:carol@10.0.0.1:5070',
    'sip:dave:secret@10.0.0.1:5070',
    'sip:dave:secret@10.0.0.1:5080',
    'sip:00dave:secret@10.0.0.1:5080',
    'sip:ave:secret@10.0.0.1:5080',
    'sip:a:secret@10.0.0.1:5080',
    'sip:a:secret@10.0.0.1:5080;user=phone',
    'sip:bob@example.com',
    'sip:x@y;transport=tcp',
    'sip:x@z;transport=tcp',
  ]);
});

test('append_branch copies the current target; with uri and q', async () => {
  const h = await load('route { $du = "sip:proxy.org"; append_branch(); append_branch("sip:c@d", "0.5"); }');
  const ctx = await run(h);
  expect(ctx.branches).toEqual([
    { uri: 'sip:bob@example.com', dstUri: 'sip:proxy.org', path: null, q: -1, flags: 0, socket: null },
    { uri: 'sip:c@d', dstUri: 'sip:proxy.org', path: null, q: 0.5, flags: 0, socket: null },
  ]);
});

test('log with levels goes to the core logger', async () => {
  const h = await load('route { log("at four"); log(1, "notice text"); log(L_ERR, "err text"); error("a", "b"); }');
  await run(h);
  const all = h.logs.join('\n');
  expect(all).toContain('notice text');
  expect(all).toContain('ERROR: err text');
  // debug=3 (harness): level 4 is not shown
  expect(all).not.toContain('at four');
});

test('rport and advertised settings are per-message slots', async () => {
  const h = await load('route { force_rport(); add_local_rport(); set_advertised_address("1.2.3.4"); set_advertised_port(5999); }');
  const ctx = await run(h);
  expect(ctx.msg.forceRport).toBe(true);
  expect([...ctx.slots.entries()]).toEqual([
    ['core.add_local_rport', true],
    ['core.advertised_address', '1.2.3.4'],
    ['core.advertised_port', 5999],
  ]);
});

class FakeSender implements Sender {
  readonly sent: { dst: Destination; data: string }[] = [];
  readonly sockets: SocketInfo[] = [
    { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' },
    { proto: 'tcp', address: '127.0.0.1', port: 5060, af: 4, name: 'tcp:127.0.0.1:5060' },
  ];
  send(dst: Destination, data: Buffer): boolean {
    this.sent.push({ dst, data: data.toString() });
    return true;
  }
  socketFor(dst: Destination): SocketInfo | undefined {
    return this.sockets.find((s) => s.proto === dst.proto);
  }
}

async function forwardWith(cfg: string) {
  const h = await load(cfg);
  const sender = new FakeSender();
  h.core.sender = sender;
  const ctx = await run(h);
  return { h, sender, ctx };
}

test('forward() adds a Via with a stateless RFC 3261 branch and sends to the R-URI host', async () => {
  // core actions leave $rc alone (as in kamailio); the action's own value is 1
  const { sender, h } = await forwardWith('route { rewritehostport("127.0.0.1:5090"); if (forward()) rec("sent rc=$rc"); }');
  expect(h.calls).toEqual(['sent rc=0']);
  expect(sender.sent).toHaveLength(1);
  const { dst, data } = sender.sent[0];
  expect(dst).toEqual({ proto: 'udp', address: '127.0.0.1', port: 5090 });
  expect(data.startsWith('INVITE sip:bob@127.0.0.1:5090 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK')).toBe(true);
  // same request again -> same branch (a retransmission is forwarded identically)
  const again = await forwardWith('route { rewritehostport("127.0.0.1:5090"); forward(); }');
  expect(again.sender.sent[0].data).toBe(data);
});

test('forward(host, port), forward_tcp, $du precedence, send() sends the bytes unchanged', async () => {
  const a = await forwardWith('route { forward("127.0.0.2", 5077); }');
  expect(a.sender.sent[0].dst).toEqual({ proto: 'udp', address: '127.0.0.2', port: 5077 });
  const b = await forwardWith('route { $du = "sip:127.0.0.3:5078"; forward_tcp(); }');
  expect(b.sender.sent[0].dst).toEqual({ proto: 'tcp', address: '127.0.0.3', port: 5078 });
  expect(b.sender.sent[0].data).toContain('Via: SIP/2.0/TCP 127.0.0.1:5060;branch=');
  const c = await forwardWith('route { send("127.0.0.4:5079"); }');
  expect(c.sender.sent[0].dst).toEqual({ proto: 'udp', address: '127.0.0.4', port: 5079 });
  expect(c.sender.sent[0].data.startsWith('INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.2.3:5070')).toBe(true);
});

test('forward(name) resolves the name once at start; an unknown name is a config error', async () => {
  const a = await forwardWith('route { forward("localhost", 5081); }');
  expect(a.sender.sent[0].dst).toMatchObject({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/), port: 5081 });
  expect(await errorsOf('route {\n  forward("no-such-host.invalid");\n}')).toMatch(/:2:11: cannot resolve 'no-such-host.invalid'/);
});

test('forward to a name taken from the R-URI at run time fails with -1 and a log line', async () => {
  const { h, sender } = await forwardWith('route { if (!forward()) rec("failed"); }');
  expect(h.calls).toEqual(['failed']);
  expect(sender.sent).toHaveLength(0);
  expect(h.logs.join('\n')).toContain("cannot forward to 'example.com'");
});

test('onsend_route sees the outgoing buffer and destination and can drop', async () => {
  const { h, sender } = await forwardWith(`route { forward("127.0.0.5", 5001); forward("127.0.0.6", 5002); }
onsend_route {
  rec("onsend $rm");
  if (snd_ip == 127.0.0.1 && snd_proto == UDP && snd_af == INET && snd_port == 5060) rec("from us");
  if (to_ip == 127.0.0.5 && msg:len > 100 && to_port == 5001) drop;
}`);
  expect(h.calls).toEqual(['onsend INVITE', 'from us', 'onsend INVITE', 'from us']);
  expect(sender.sent.map((s) => s.dst.address)).toEqual(['127.0.0.6']);
});

test('onsend_route ending with 0 without drop: dropped in #!ALL and #!SER, sent in #!KAMAILIO', async () => {
  const cfg = 'route { forward("127.0.0.7", 5007); }\nonsend_route { exit; }';
  expect((await forwardWith(cfg)).sender.sent).toHaveLength(0);
  expect((await forwardWith(`#!SER\n${cfg}`)).sender.sent).toHaveLength(0);
  expect((await forwardWith(`#!KAMAILIO\n${cfg}`)).sender.sent).toHaveLength(1);
});

test('force_send_socket must name a listen socket of the config', async () => {
  expect(await errorsOf('listen=udp:127.0.0.1:5060\nroute {\n  force_send_socket(tcp:10.9.9.9:5060);\n}')).toMatch(/:3:21: force_send_socket: tcp:10.9.9.9:5060 is not a listen socket/);
  expect(await errorsOf('listen=udp:127.0.0.1:5060\nroute { force_send_socket(udp:127.0.0.1:5060); }')).toBe('');
});

test('force_send_socket picks a listen socket', async () => {
  const { ctx } = await forwardWith('route { force_send_socket(tcp:127.0.0.1:5060); }');
  expect(ctx.msg.forceSocket?.name).toBe('tcp:127.0.0.1:5060');
});

test('drop in the request route is visible to the caller', async () => {
  const { ctx } = await forwardWith('route { drop; }');
  expect(wasDropped(ctx)).toBe(true);
});

test('exec() runs a shell command without blocking and returns 1', async () => {
  const out = join(dir, 'exec-out.txt');
  const h = await load(`route { if (exec("echo ran > ${out}")) rec("t"); }`);
  await run(h);
  expect(h.calls).toEqual(['t']);
  // the shell runs detached: give a loaded machine time
  for (let i = 0; i < 250 && !(existsSync(out) && readFileSync(out, 'utf8').length > 0); i++) await new Promise((r) => setTimeout(r, 20));
  expect(readFileSync(out, 'utf8')).toBe('ran\n');
});

test('$(err.*) in the script: set once a malformed header was read, usable in conditions and formats', async () => {
  const h = await load('route { if ($(err.rcode) == 0) rec("clean"); $var(u) = $fU; if ($(err.rcode) == 400) rec("$(err.class) $(err.level) $(err.rreason)"); }');
  const bad = Buffer.from(invite().toString().replace('From: Alice <sip:alice@atlanta.com>;tag=1928301774', 'From: <sip:alice@atlanta.com'));
  await run(h, 'request', 'main', bad);
  await run(h);
  expect(h.calls).toEqual(['clean', '1 3 bad headers', 'clean']);
});
