import { Core } from '../../src/core';
import { Logger } from '../../src/log';
import { MessagePath } from '../../src/server/message-path';
import { socketInfo } from '../../src/transport/socket-info';
import { RunFlag } from '../../src/script/flags';
import type { CompiledRoute, RouteKind, RunCtx, ScriptApi } from '../../src/script/types';
import type { Destination, ReceiveInfo, Sender, SocketInfo } from '../../src/transport/types';

const SOCK = socketInfo('udp', '127.0.0.1', 5060);
const RCV: ReceiveInfo = { srcIp: '127.0.0.2', srcPort: 5070, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4, socket: SOCK };

const OPTIONS = [
  'OPTIONS sip:bob@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-1;rport',
  'Max-Forwards: 70',
  'From: <sip:alice@127.0.0.2>;tag=a1',
  'To: <sip:bob@127.0.0.1>',
  'Call-ID: c1@127.0.0.2',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '', ''].join('\r\n');

const REPLY = [
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-ours, SIP/2.0/UDP 10.0.0.9:5090;branch=z9hG4bK-up;rport=5099;received=10.0.0.8',
  'Via: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK-first',
  'From: <sip:alice@127.0.0.2>;tag=a1',
  'To: <sip:bob@127.0.0.1>;tag=b1',
  'Call-ID: c1@127.0.0.2',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '', ''].join('\r\n');

class FakeSender implements Sender {
  sent: { dst: Destination; data: string }[] = [];
  aliases: [number, number][] = [];
  addAlias(connId: number, port: number): boolean {
    this.aliases.push([connId, port]);
    return true;
  }
  readonly sockets: SocketInfo[] = [SOCK];
  send(dst: Destination, data: Buffer): boolean {
    this.sent.push({ dst, data: data.toString('latin1') });
    return true;
  }
  socketFor(): SocketInfo {
    return SOCK;
  }
}

function setup(routes: Partial<Record<RouteKind, CompiledRoute>> = {}, globals: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const core = new Core({ log: new Logger(0, '', (l) => lines.push(l)) });
  const script: ScriptApi = {
    route: (kind, name) => (name === 'main' ? routes[kind] : undefined),
    has: (kind, name) => name === 'main' && routes[kind] !== undefined,
    isAsync: () => false,
  };
  core.script = script;
  for (const [k, v] of Object.entries(globals)) core.globals.set(k, v);
  const sender = new FakeSender();
  core.sender = sender;
  const path = new MessagePath(core);
  const recv = (text: string, rcv: ReceiveInfo = RCV) => path.receive(Buffer.from(text, 'latin1'), rcv);
  return { core, sender, lines, recv };
}

describe('MessagePath: requests', () => {
  test('request route runs between preScript and postScript with a fresh context', () => {
    const seen: string[] = [];
    const { core, recv } = setup({ request: (ctx) => { seen.push(`route ${ctx.msg.method} ${ctx.routeType}`); return 1; } });
    core.hooks.preScript.tap('t', (ctx) => { seen.push(`pre ${ctx.msg.callId()}`); });
    core.hooks.postScript.tap('t', () => { seen.push('post'); });
    recv(OPTIONS);
    expect(seen).toEqual(['pre c1@127.0.0.2', 'route OPTIONS 1', 'post']);
  });

  test('preScript returning 0 drops the message before the script', () => {
    const route = jest.fn(() => 1);
    const { core, recv } = setup({ request: route });
    core.hooks.preScript.tap('t', () => 0);
    recv(OPTIONS);
    expect(route).not.toHaveBeenCalled();
  });

  test('netDataIn may rewrite or drop the bytes', () => {
    const methods: string[] = [];
    const { core, recv } = setup({ request: (ctx) => { methods.push(ctx.msg.method); return 1; } });
    core.hooks.netDataIn.tap('t', (d) => (d!.toString().includes('drop-me') ? null : Buffer.from(d!.toString().replace(/OPTIONS/g, 'INFO'))));
    recv(OPTIONS);
    recv(OPTIONS.replace('c1@', 'drop-me@'));
    expect(methods).toEqual(['INFO']);
  });

  test('an async route gets postScript after it settles', async () => {
    const seen: string[] = [];
    const { core, recv } = setup({ request: async () => { await new Promise((r) => setTimeout(r, 5)); seen.push('route'); return 1; } });
    core.hooks.postScript.tap('t', () => { seen.push('post'); });
    recv(OPTIONS);
    expect(seen).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual(['route', 'post']);
  });

  test('a route that throws is logged; the next message is still served', () => {
    let n = 0;
    const { recv, lines } = setup({ request: () => { if (n++ === 0) throw new Error('boom'); return 1; } });
    recv(OPTIONS);
    recv(OPTIONS);
    expect(n).toBe(2);
    expect(lines.filter((l) => l.includes('ERROR: OPTIONS request from 127.0.0.2:5070: boom'))).toHaveLength(1);
  });

  test('CRLF keep-alives are ignored silently', () => {
    const route = jest.fn(() => 1);
    const { recv, lines, sender } = setup({ request: route });
    recv('\r\n\r\n');
    recv('\r\n');
    expect(route).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
    expect(sender.sent).toEqual([]);
  });
});

describe('MessagePath: malformed input', () => {
  test('a request with a readable first line but a broken header gets a 400 back to its source', () => {
    const route = jest.fn(() => 1);
    const { recv, sender, lines } = setup({ request: route });
    recv(OPTIONS.replace('Max-Forwards: 70', 'Max-Forwards 70'));
    expect(route).not.toHaveBeenCalled();
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0].dst).toMatchObject({ proto: 'udp', address: '127.0.0.2', port: 5070 });
    expect(sender.sent[0].data).toMatch(/^SIP\/2\.0 400 /);
    expect(sender.sent[0].data).toContain('Call-ID: c1@127.0.0.2\r\n');
    expect(lines[0]).toMatch(/WARNING: dropping malformed message from udp:127\.0\.0\.2:5070 \(\d+ bytes\): header line without colon/);
  });

  test('a malformed top Via drops the message (no reply can be routed)', () => {
    const route = jest.fn(() => 1);
    const { recv, sender, lines } = setup({ request: route });
    recv(OPTIONS.replace('Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-1;rport', 'Via: garbage'));
    expect(route).not.toHaveBeenCalled();
    expect(sender.sent).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  test('garbage is dropped and the log is rate-limited', () => {
    const { recv, lines, sender } = setup({ request: () => 1 });
    for (let i = 0; i < 50; i++) recv('\x00\x01garbage\r\n\r\n');
    expect(sender.sent).toEqual([]);
    expect(lines).toHaveLength(10);
  });
});

describe('MessagePath: replies', () => {
  test('forwarded statelessly to the second Via (received/rport), our Via value removed', () => {
    const { recv, sender } = setup();
    recv(REPLY);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0].dst).toEqual({ proto: 'udp', address: '10.0.0.8', port: 5099 });
    expect(sender.sent[0].data).toBe(REPLY.replace('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-ours, ', ''));
  });

  test('a Via field holding only our value is removed whole; the next hop may be TCP on the default port', () => {
    const { recv, sender } = setup();
    const reply = REPLY.replace(', SIP/2.0/UDP 10.0.0.9:5090;branch=z9hG4bK-up;rport=5099;received=10.0.0.8', '');
    recv(reply);
    expect(sender.sent[0].dst).toEqual({ proto: 'tcp', address: '10.0.0.1', port: 5060 });
    expect(sender.sent[0].data).toBe(reply.replace('Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-ours\r\n', ''));
  });

  test('a reply whose top Via is not ours is not forwarded', () => {
    const { recv, sender } = setup();
    recv(REPLY.replace('127.0.0.1:5060;branch=z9hG4bK-ours', '127.0.0.1:5062;branch=z9hG4bK-ours'));
    expect(sender.sent).toEqual([]);
  });

  test('a module onReply returning 0 consumes the reply before the script', () => {
    const route = jest.fn(() => 1);
    const { core, recv, sender } = setup({ onreply: route });
    core.modules.registerDescriptor({ name: 'consumer', onReply: () => 0 });
    recv(REPLY);
    expect(route).not.toHaveBeenCalled();
    expect(sender.sent).toEqual([]);
  });

  test('onreply_route runs; drop stops the forwarding', () => {
    const statuses: number[] = [];
    const route = (ctx: RunCtx) => {
      statuses.push(ctx.msg.status);
      if (ctx.msg.status === 180) ctx.runFlags = (ctx.runFlags ?? 0) | RunFlag.DROP;
      return ctx.msg.status === 180 ? 0 : 1;
    };
    const { recv, sender } = setup({ onreply: route });
    recv(REPLY.replace('200 OK', '180 Ringing'));
    recv(REPLY);
    expect(statuses).toEqual([180, 200]);
    expect(sender.sent.map((s) => s.data.slice(0, 14))).toEqual(['SIP/2.0 200 OK']);
  });
});

describe('MessagePath: replies to an alias', () => {
  test('a reply whose top Via is an alias is forwarded', () => {
    const { core, recv, sender } = setup();
    core.globals.set('alias', [{ proto: '', host: 'proxy.example.com', port: 0 }]);
    recv(REPLY.replace('127.0.0.1:5060;branch=z9hG4bK-ours', 'proxy.example.com;branch=z9hG4bK-ours'));
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0].dst).toEqual({ proto: 'udp', address: '10.0.0.8', port: 5099 });
  });
});

describe('MessagePath: TCP aliases', () => {
  const TCP: ReceiveInfo = { ...RCV, proto: 'tcp', socket: socketInfo('tcp', '127.0.0.1', 5060), connId: 7 };

  test('force_tcp_alias() aliases the Via port, force_tcp_alias(N) the port N, on the request\'s connection', () => {
    let port: number | undefined;
    const { recv, sender } = setup({ request: (ctx) => { if (port !== undefined) ctx.slots.set('core.force_tcp_alias', port); return 1; } });
    recv(OPTIONS, TCP);
    port = 0;
    recv(OPTIONS, TCP);
    port = 5099;
    recv(OPTIONS, TCP);
    recv(OPTIONS, RCV);
    expect(sender.aliases).toEqual([[7, 5070], [7, 5099]]);
  });

  test('tcp_accept_aliases: a Via alias parameter makes its port an alias', () => {
    const withAlias = OPTIONS.replace(';branch=z9hG4bK-1;rport', ';branch=z9hG4bK-1;alias');
    const off = setup({ request: () => 1 });
    off.recv(withAlias, TCP);
    expect(off.sender.aliases).toEqual([]);
    const on = setup({ request: () => 1 }, { tcp_accept_aliases: true });
    on.recv(withAlias, TCP);
    on.recv(OPTIONS, TCP);
    expect(on.sender.aliases).toEqual([[7, 5070]]);
  });
});

describe('MessagePath: failures', () => {
  test('a throwing route and a throwing step after an async route are logged and counted, nothing is sent', async () => {
    const { core, sender, lines, recv } = setup({ request: () => Promise.resolve(1) });
    core.hooks.postScript.tap('t', () => { throw new Error('post boom'); });
    recv(OPTIONS);
    await new Promise((r) => setImmediate(r));
    expect(core.failures.message).toBe(1);
    expect(lines.some((l) => /ERROR: OPTIONS request from 127\.0\.0\.2:5070: post boom/.test(l))).toBe(true);
    const sync = setup({ request: () => { throw new Error('route boom'); } });
    sync.recv(OPTIONS);
    expect(sync.core.failures.message).toBe(1);
    expect(sync.lines.some((l) => /route boom/.test(l))).toBe(true);
    expect(sender.sent).toEqual([]);
    expect(sync.sender.sent).toEqual([]);
  });

  test('a module hook that throws before or during parsing loses only that message', () => {
    const { core, lines, recv } = setup({ request: () => 1 });
    core.hooks.netDataIn.tap('t', () => { throw new Error('in boom'); });
    expect(() => recv(OPTIONS)).not.toThrow();
    expect(core.failures.message).toBe(1);
    expect(lines.some((l) => /ERROR: message from 127\.0\.0\.2:5070: in boom/.test(l))).toBe(true);
    const bad = setup();
    bad.core.hooks.parseError.tap('t', () => { throw new Error('parse hook boom'); });
    expect(() => bad.recv('garbage\r\n\r\n')).not.toThrow();
    expect(bad.core.failures.message).toBe(1);
  });
});
