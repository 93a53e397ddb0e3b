import dgram from 'node:dgram';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { Core } from '../../src/core';
import { Logger } from '../../src/log';
import { TransportLayer } from '../../src/transport/layer';
import { listenSpecs } from '../../src/transport/listen';
import type { Framer } from '../../src/transport/connection';
import type { ReceiveInfo } from '../../src/transport/types';
import type { ConnectionInfo } from '../../src/hooks';

// Ports 15000-15019 belong to this file.
const P = 15000;

/** Test framer: one message per "\n\n"-terminated block; "bad" in a block is a framing error. */
function blankLineFramer(): Framer {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('latin1');
      const out: Buffer[] = [];
      let i: number;
      while ((i = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, i + 2);
        pending = pending.slice(i + 2);
        if (block.includes('bad')) throw new Error('bad block');
        out.push(Buffer.from(block, 'latin1'));
      }
      return out;
    },
  };
}

function quietCore(): { core: Core; lines: string[] } {
  const lines: string[] = [];
  return { core: new Core({ log: new Logger(3, '', (l) => lines.push(l)) }), lines };
}

function waitFor<T>(get: () => T | undefined, ms = 2000): Promise<T> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = get();
      if (v !== undefined) return resolve(v);
      if (Date.now() > until) return reject(new Error('timed out'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('TransportLayer', () => {
  const layers: TransportLayer[] = [];
  afterEach(async () => {
    while (layers.length) await layers.pop()!.close();
  });

  function start(port: number, items: string[] = [], limits = {}) {
    const got: { data: string; rcv: ReceiveInfo }[] = [];
    const { core, lines } = quietCore();
    const t = new TransportLayer(core, (d, rcv) => got.push({ data: d.toString(), rcv }), { newFramer: blankLineFramer, limits });
    layers.push(t);
    return { t, core, got, lines, ready: t.open(listenSpecs(items, port)) };
  }

  test('default opens udp and tcp on 127.0.0.1; a datagram arrives with its ReceiveInfo and the reply goes back', async () => {
    const { t, got, ready } = start(P);
    await ready;
    expect(t.sockets.map((s) => s.name)).toEqual([`udp:127.0.0.1:${P}`, `tcp:127.0.0.1:${P}`]);
    const client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(P + 1, '127.0.0.1', () => r()));
    const reply = new Promise<string>((r) => client.once('message', (m) => r(m.toString())));
    client.send('OPTIONS sip:x SIP/2.0\r\n\r\n', P, '127.0.0.1');
    const m = await waitFor(() => got[0]);
    expect(m.data).toBe('OPTIONS sip:x SIP/2.0\r\n\r\n');
    expect(m.rcv).toMatchObject({ srcIp: '127.0.0.1', srcPort: P + 1, dstIp: '127.0.0.1', dstPort: P, proto: 'udp', af: 4 });
    expect(m.rcv.socket.name).toBe(`udp:127.0.0.1:${P}`);
    expect(t.send({ proto: 'udp', address: m.rcv.srcIp, port: m.rcv.srcPort }, Buffer.from('pong'))).toBe(true);
    expect(await reply).toBe('pong');
    client.close();
  });

  test('a port in use fails with one line and leaves nothing open', async () => {
    const a = start(P + 2, ['udp:127.0.0.1']);
    await a.ready;
    const b = start(P + 3, [`tcp:127.0.0.1:${P + 3}`, `udp:127.0.0.1:${P + 2}`]);
    await expect(b.ready).rejects.toThrow(`listen udp:127.0.0.1:${P + 2}: address already in use`);
    expect(b.t.sockets).toEqual([]);
    // the tcp socket opened before the failure was closed again
    const probe = net.createServer();
    await new Promise<void>((r, j) => { probe.once('error', j); probe.listen(P + 3, '127.0.0.1', () => r()); });
    probe.close();
  });

  test('unsupported protocol is refused', async () => {
    const { ready } = start(P + 4, ['tls:127.0.0.1:15004']);
    await expect(ready).rejects.toThrow('listen tls:127.0.0.1:15004: protocol tls is not supported yet');
    const v6 = start(P + 4, ['ws:[::1]:15004']);
    await expect(v6.ready).rejects.toThrow('listen ws:[::1]:15004: protocol ws is not supported yet');
  });

  test('tcp: framed messages carry the connection id; a reply by connId goes back on that connection', async () => {
    const { t, core, got, ready } = start(P + 5, [`tcp:127.0.0.1:${P + 5}`]);
    const opened: ConnectionInfo[] = [];
    const closed: number[] = [];
    core.hooks.connectionOpened.tap('t', (c) => { opened.push(c); });
    core.hooks.connectionClosed.tap('t', (c) => { closed.push(c.id); });
    await ready;
    const sock = net.connect(P + 5, '127.0.0.1');
    let received = '';
    sock.on('data', (d) => { received += d.toString(); });
    sock.write('one\n\ntw');
    sock.write('o\n\n');
    await waitFor(() => got[1]);
    expect(got.map((g) => g.data)).toEqual(['one\n\n', 'two\n\n']);
    const rcv = got[0].rcv;
    expect(rcv.connId).toBe(opened[0].id);
    expect(rcv).toMatchObject({ proto: 'tcp', srcIp: '127.0.0.1', srcPort: sock.localPort, dstPort: P + 5 });
    expect(got[1].rcv).toBe(rcv);
    // the address given is wrong on purpose: the connection id wins
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: 1, connId: rcv.connId }, Buffer.from('reply'))).toBe(true);
    await waitFor(() => (received === 'reply' ? true : undefined));
    sock.end();
    await waitFor(() => closed[0]);
    expect(closed).toEqual([opened[0].id]);
    expect(t.connections.size).toBe(0);
  });

  test('tcp: a double-CRLF ping between messages gets a CRLF pong (unless disabled)', async () => {
    const on = start(P + 15, [`tcp:127.0.0.1:${P + 15}`]);
    const off = start(P + 16, [`tcp:127.0.0.1:${P + 16}`], { crlfPing: false });
    await Promise.all([on.ready, off.ready]);
    const ping = async (port: number) => {
      const sock = net.connect(port, '127.0.0.1');
      let got = '';
      sock.on('data', (d) => { got += d.toString(); });
      await new Promise((r) => sock.on('connect', r));
      sock.write('\r\n\r\n');
      await new Promise((r) => setTimeout(r, 150));
      sock.destroy();
      return got;
    };
    expect(await ping(P + 15)).toBe('\r\n');
    expect(await ping(P + 16)).toBe('');
    expect(on.got).toEqual([]);
  });

  test('tcp: noConnect refuses to open a connection; close ends it after the write', async () => {
    const peer = net.createServer();
    let data = '';
    let peerClosed = false;
    peer.on('connection', (s) => { s.on('data', (d) => { data += d.toString(); }); s.on('end', () => { peerClosed = true; s.end(); }); });
    await new Promise<void>((r) => peer.listen(P + 19, '127.0.0.1', () => r()));
    const { t, ready } = start(P + 18, [`tcp:127.0.0.1:${P + 18}`]);
    await ready;
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: P + 19, noConnect: true }, Buffer.from('x'))).toBe(false);
    expect(t.connections.size).toBe(0);
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: P + 19 }, Buffer.from('one'))).toBe(true);
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: P + 19, noConnect: true, close: true }, Buffer.from('two'))).toBe(true);
    // a connection being closed is no longer found: the next no-connect send fails at once
    expect(t.connections.size).toBe(0);
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: P + 19, noConnect: true }, Buffer.from('three'))).toBe(false);
    await waitFor(() => (peerClosed ? true : undefined));
    expect(data).toBe('onetwo');
    await waitFor(() => (t.connections.size === 0 ? true : undefined));
    await new Promise<void>((r) => peer.close(() => r()));
  });

  test('tcp: an alias port reaches the same connection until it closes', async () => {
    const { t, got, ready } = start(P + 17, [`tcp:127.0.0.1:${P + 17}`]);
    await ready;
    const sock = net.connect(P + 17, '127.0.0.1');
    let received = '';
    sock.on('data', (d) => { received += d.toString(); });
    sock.write('hello\n\n');
    await waitFor(() => got[0]);
    const connId = got[0].rcv.connId!;
    expect(t.addAlias(connId, 5099)).toBe(true);
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: 5099 }, Buffer.from('via alias'))).toBe(true);
    await waitFor(() => (received === 'via alias' ? true : undefined));
    expect(t.connections.size).toBe(1);
    sock.destroy();
    await waitFor(() => (t.connections.size === 0 ? true : undefined));
    expect(t.connections.find('tcp', '127.0.0.1', 5099)).toBeUndefined();
    expect(t.addAlias(connId, 5098)).toBe(false);
  });

  test('tcp: a framing error closes the connection, the server keeps serving', async () => {
    const { got, ready } = start(P + 6, [`tcp:127.0.0.1:${P + 6}`]);
    await ready;
    const bad = net.connect(P + 6, '127.0.0.1');
    const closedBad = new Promise<void>((r) => bad.on('close', () => r()));
    bad.on('error', () => undefined);
    bad.write('bad\n\n');
    await closedBad;
    const good = net.connect(P + 6, '127.0.0.1');
    good.write('good\n\n');
    await waitFor(() => got[0]);
    expect(got.map((g) => g.data)).toEqual(['good\n\n']);
    good.destroy();
  });

  test('tcp: requests to a peer open one connection and reuse it', async () => {
    const peer = net.createServer();
    const accepted: net.Socket[] = [];
    let data = '';
    peer.on('connection', (s) => { accepted.push(s); s.on('data', (d) => { data += d.toString(); }); });
    await new Promise<void>((r) => peer.listen(P + 8, '127.0.0.1', () => r()));
    const { t, ready } = start(P + 7, [`tcp:127.0.0.1:${P + 7}`]);
    await ready;
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: P + 8 }, Buffer.from('a'))).toBe(true);
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: P + 8 }, Buffer.from('b'))).toBe(true);
    await waitFor(() => (data === 'ab' ? true : undefined));
    expect(accepted).toHaveLength(1);
    expect(t.connections.size).toBe(1);
    // the connection is bound to the listen address
    expect(accepted[0].remoteAddress).toBe('127.0.0.1');
    for (const s of accepted) s.destroy();
    await new Promise<void>((r) => peer.close(() => r()));
  });

  test('tcp: a failed connect is logged as an error and the connection dropped', async () => {
    const { t, ready, lines } = start(P + 13, [`tcp:127.0.0.1:${P + 13}`]);
    await ready;
    // nothing listens on P + 14
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: P + 14 }, Buffer.from('x'))).toBe(true);
    await waitFor(() => (t.connections.size === 0 ? true : undefined));
    expect(lines.filter((l) => l.includes(`ERROR: transport: connect to tcp:127.0.0.1:${P + 14}: connection refused`))).toHaveLength(1);
  });

  test('tcp: a refused connect tells every send queued on it, once; sends on an open connection are not told', async () => {
    // ports 16700-16702 belong to this test
    const { t, ready, lines } = start(16700, ['tcp:127.0.0.1:16700']);
    await ready;
    const told: string[] = [];
    // nothing listens on 16701: two sends queue on the same connecting connection
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: 16701 }, Buffer.from('x'), (r) => told.push(`a:${r}`))).toBe(true);
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: 16701 }, Buffer.from('y'), (r) => told.push(`b:${r}`))).toBe(true);
    expect(t.connections.size).toBe(1);
    await waitFor(() => (told.length === 2 && t.connections.size === 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 20));
    expect(told).toEqual(['a:connection refused', 'b:connection refused']);
    expect(lines.filter((l) => l.includes('connect to tcp:127.0.0.1:16701: connection refused'))).toHaveLength(1);

    const peer = net.createServer((s) => s.resume());
    await new Promise<void>((r) => peer.listen(16702, '127.0.0.1', () => r()));
    const late: string[] = [];
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: 16702 }, Buffer.from('z'), (r) => late.push(r))).toBe(true);
    await waitFor(() => (t.connections.find('tcp', '127.0.0.1', 16702)?.connecting === false ? true : undefined));
    // the connection goes away after the connect: that is not a failed connect; a send before
    // its close is handled fails at once instead of losing the bytes
    t.connections.find('tcp', '127.0.0.1', 16702)!.sock.destroy();
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: 16702 }, Buffer.from('w'), (r) => late.push(r))).toBe(false);
    await waitFor(() => (t.connections.size === 0 ? true : undefined));
    expect(late).toEqual([]);
    await new Promise<void>((r) => peer.close(() => r()));
  });

  test('tcp: closing the layer while a connect is pending tells nobody and logs no error', async () => {
    // ports 16703-16704 belong to this test
    const { t, ready, lines } = start(16703, ['tcp:127.0.0.1:16703']);
    await ready;
    const told: string[] = [];
    expect(t.send({ proto: 'tcp', address: '127.0.0.1', port: 16704 }, Buffer.from('x'), (r) => told.push(r))).toBe(true);
    await t.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(told).toEqual([]);
    expect(lines.filter((l) => l.includes('ERROR'))).toEqual([]);
  });

  test('tcp: idle connections are closed after the lifetime; beyond the limit new ones are refused', async () => {
    const { t, ready, lines } = start(P + 9, [`tcp:127.0.0.1:${P + 9}`], { lifetimeMs: 300, maxConnections: 1 });
    await ready;
    const a = net.connect(P + 9, '127.0.0.1');
    const aOpened = new Promise<number>((r) => a.on('connect', () => r(Date.now())));
    const aClosed = new Promise<number>((r) => a.on('close', () => r(Date.now())));
    await waitFor(() => (t.connections.size === 1 ? true : undefined));
    const b = net.connect(P + 9, '127.0.0.1');
    b.on('error', () => undefined);
    await new Promise<void>((r) => b.on('close', () => r()));
    expect(lines.some((l) => l.includes('too many connections (1)'))).toBe(true);
    // idle for longer than the lifetime, and closed by the sweeper soon after
    expect((await aClosed) - (await aOpened)).toBeGreaterThanOrEqual(290);
    expect(t.connections.size).toBe(0);
  });

  test('netDataOut rewrites or drops outgoing bytes', async () => {
    const { t, core, ready } = start(P + 10, [`udp:127.0.0.1:${P + 10}`]);
    await ready;
    core.hooks.netDataOut.tap('t', (d) => (d && d.toString() === 'drop' ? null : Buffer.concat([d!, Buffer.from('!')])));
    const client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(P + 11, '127.0.0.1', () => r()));
    const got = new Promise<string>((r) => client.once('message', (m) => r(m.toString())));
    expect(t.send({ proto: 'udp', address: '127.0.0.1', port: P + 11 }, Buffer.from('drop'))).toBe(false);
    expect(t.send({ proto: 'udp', address: '127.0.0.1', port: P + 11 }, Buffer.from('hi'))).toBe(true);
    expect(await got).toBe('hi!');
    // a host name goes through DNS
    const named = new Promise<string>((r) => client.once('message', (m) => r(m.toString())));
    expect(t.send({ proto: 'udp', address: 'localhost', port: P + 11 }, Buffer.from('by name'))).toBe(true);
    expect(await named).toBe('by name!');
    client.close();
  });

  const hasIpv6 = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === '::1'));
  (hasIpv6 ? test : test.skip)('socketFor picks the forced socket, else one of the right protocol and family', async () => {
    const { t, ready } = start(P + 12, [`udp:127.0.0.1:${P + 12}`, `tcp:127.0.0.1:${P + 12}`, `udp:[::1]:${P + 12}`]);
    await ready;
    expect(t.socketFor({ proto: 'udp', address: '10.0.0.1', port: 5060 })?.name).toBe(`udp:127.0.0.1:${P + 12}`);
    expect(t.socketFor({ proto: 'udp', address: '::2', port: 5060 })?.name).toBe(`udp:[::1]:${P + 12}`);
    expect(t.socketFor({ proto: 'tcp', address: '::2', port: 5060 })?.name).toBe(`tcp:127.0.0.1:${P + 12}`);
    expect(t.socketFor({ proto: 'udp', address: '10.0.0.1', port: 5060, socket: t.sockets[2] })?.name).toBe(`udp:[::1]:${P + 12}`);
  });
});
