/** Core-keyword conditions (§6.4) and myself. */
import { load, run, invite, rcv } from './harness';
import { parseMessage } from '../../src/sip/message';
import { createRunCtx } from '../../src/script/run-ctx';
import { RouteType } from '../../src/script/types';
import { isMyself } from '../../src/script/myself';

async function conds(conditions: string[], pre = 'listen=udp:127.0.0.1:5060\nalias=example.com\n', buf = invite()): Promise<string[]> {
  const body = conditions.map((c, i) => `if (${c}) rec("${i}");`).join('\n');
  const h = await load(`${pre}\nroute {\n${body}\n}`);
  await run(h, 'request', 'main', buf);
  return h.calls.map((i) => conditions[Number(i)]);
}

test('method: case-insensitive string, bare word, regex', async () => {
  const c = ['method == INVITE', 'method == "invite"', 'method != "ACK"', 'method =~ "^inv"', 'method == "ACK"', 'method eq "INVITE"', 'method !~ "^I"'];
  expect(await conds(c)).toEqual(['method == INVITE', 'method == "invite"', 'method != "ACK"', 'method =~ "^inv"', 'method eq "INVITE"']);
});

test('uri, from_uri, to_uri and myself', async () => {
  const c = [
    'uri == myself',
    'myself == uri',
    'uri != myself',
    'uri == "SIP:bob@example.com"',
    'from_uri =~ "atlanta"',
    'to_uri == myself',
    'from_uri == myself',
  ];
  expect(await conds(c)).toEqual(['uri == myself', 'myself == uri', 'uri == "SIP:bob@example.com"', 'from_uri =~ "atlanta"', 'to_uri == myself']);
});

test('uri reflects a rewritten R-URI; ports matter for myself', async () => {
  const h = await load('listen=udp:127.0.0.1:5060\nroute { rewritehostport("127.0.0.1:5070"); if (uri == myself) rec("y"); else rec("n"); setp("5060"); if (uri == myself) rec("y2"); }');
  await run(h);
  expect(h.calls).toEqual(['n', 'y2']);
});

test('src_ip / dst_ip with address, bits, mask, string and regex; ports, proto, af, msg:len', async () => {
  const c = [
    'src_ip == 10.1.2.3',
    'src_ip == 10.0.0.0/8',
    'src_ip == 10.1.0.0/255.255.0.0',
    'src_ip == 10.2.0.0/16',
    'src_ip != 192.168.0.0/16',
    'src_ip == "10.1.2.3"',
    'src_ip =~ "^10\\."',
    'dst_ip == myself',
    'src_ip == myself',
    'src_port == 5070',
    'dst_port > 5000',
    'proto == UDP',
    'proto == tcp',
    'af == INET',
    'af == INET6',
    'msg:len > 100',
    'src_ip == 012.1.2.3',
  ];
  expect(await conds(c)).toEqual([
    'src_ip == 10.1.2.3', 'src_ip == 10.0.0.0/8', 'src_ip == 10.1.0.0/255.255.0.0', 'src_ip != 192.168.0.0/16', 'src_ip == "10.1.2.3"',
    'src_ip =~ "^10\\."', 'dst_ip == myself', 'src_port == 5070', 'dst_port > 5000', 'proto == UDP', 'af == INET', 'msg:len > 100', 'src_ip == 012.1.2.3',
  ]);
});

test('a header that cannot be parsed makes the element false (true for !=)', async () => {
  const bad = Buffer.from(invite().toString().replace('From: Alice <sip:alice@atlanta.com>;tag=1928301774', 'From: <<<'));
  expect(await conds(['from_uri == "x"', 'from_uri != "x"', 'from_uri =~ "."'], '', bad)).toEqual(['from_uri != "x"']);
});

test('isMyself: listen, aliases with and without port, default port 5060', async () => {
  const h = await load('listen=udp:127.0.0.1:5060\nlisten=tcp:127.0.0.1:5080\nalias=example.com\nalias=other.org:5090\nroute {}');
  const core = h.core;
  expect(isMyself(core, '127.0.0.1', 5060)).toBe(true);
  expect(isMyself(core, '127.0.0.1', 5080, 'tcp')).toBe(true);
  expect(isMyself(core, '127.0.0.1', 5080, 'udp')).toBe(false);
  expect(isMyself(core, '127.0.0.1', 5061)).toBe(false);
  expect(isMyself(core, 'EXAMPLE.com', 1234)).toBe(true);
  expect(isMyself(core, 'other.org', 5090)).toBe(true);
  expect(isMyself(core, 'other.org', 5060)).toBe(false);
  expect(isMyself(core, '127.0.0.1', 0)).toBe(true);
});

test('IPv6 networks in src_ip conditions', async () => {
  const h = await load('route { if (src_ip == ::1) rec("lo"); if (src_ip == [::1]) rec("br"); if (src_ip == fe80::/10) rec("ll"); if (src_ip != 2001:db8::/32) rec("not-doc"); }');
  const ctx = createRunCtx(h.core, parseMessage(invite(), { ...rcv, srcIp: '::1', af: 6 }), 1);
  await h.script.route('request', 'main')!(ctx);
  expect(h.calls).toEqual(['lo', 'br', 'not-doc']);
});

test('status and uri in reply routes', async () => {
  const h = await load('onreply_route { if (status == "180") rec("180"); if (status =~ "^1") rec("1xx"); if (status == "200") rec("no"); }');
  const reply = Buffer.from('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 10.1.2.3:5070;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n');
  const ctx = createRunCtx(h.core, parseMessage(reply, rcv), RouteType.ONREPLY);
  await h.script.route('onreply', 'main')!(ctx);
  expect(h.calls).toEqual(['180', '1xx']);
});

test('an advertised listen address is myself too', async () => {
  const h = await load('listen=udp:10.0.0.1:5060 advertise 203.0.113.5:5080\nroute {}');
  expect(isMyself(h.core, '203.0.113.5', 5080)).toBe(true);
  expect(isMyself(h.core, '203.0.113.5', 5060)).toBe(false);
  expect(isMyself(h.core, '10.0.0.1', 5060)).toBe(true);
});

test('localhost is an automatic alias of a loopback listen address unless auto_aliases=no', async () => {
  const h = await load('listen=udp:127.0.0.1:5060\nroute {}');
  expect(isMyself(h.core, 'localhost', 5060)).toBe(true);
  expect(isMyself(h.core, 'localhost', 5070)).toBe(false);
  const off = await load('listen=udp:127.0.0.1:5060\nauto_aliases=no\nroute {}');
  expect(isMyself(off.core, 'localhost', 5060)).toBe(false);
});

test('once the transport has sockets, myself follows them (sipr -l may replace the config\'s listen)', async () => {
  const h = await load('listen=udp:127.0.0.1:5060\nalias=example.com\nroute {}');
  const sockets = [{ proto: 'udp' as const, address: '127.0.0.2', port: 5088, af: 4 as const, name: 'udp:127.0.0.2:5088', advertisedAddress: 'pub.example.net' }];
  h.core.sender = { send: () => true, socketFor: () => sockets[0], sockets } as unknown as typeof h.core.sender;
  expect(isMyself(h.core, '127.0.0.2', 5088)).toBe(true);
  expect(isMyself(h.core, '127.0.0.1', 5060)).toBe(false);
  expect(isMyself(h.core, 'pub.example.net', 5088)).toBe(true);
  expect(isMyself(h.core, 'localhost', 5088)).toBe(true);
  expect(isMyself(h.core, 'example.com', 1)).toBe(true);
  expect(isMyself(h.core, '127.0.0.2', 5088, 'tcp')).toBe(false);
});

test('src_ip / dst_ip == host name: resolved at start, any address matches; an unknown name warns and compares as text', async () => {
  expect(await conds(['dst_ip == localhost', 'src_ip == localhost', 'src_ip != localhost'])).toEqual(['dst_ip == localhost', 'src_ip != localhost']);
  const h = await load('route { if (src_ip == no-such-host.invalid) rec("y"); else rec("n"); }');
  await run(h);
  expect(h.calls).toEqual(['n']);
  expect(h.logs.join('\n')).toMatch(/cannot resolve 'no-such-host\.invalid'/);
});
