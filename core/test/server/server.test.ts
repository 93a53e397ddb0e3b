import dgram from 'node:dgram';
import net from 'node:net';
import { Core } from '../../src/core';
import { Logger } from '../../src/log';
import { Server } from '../../src/server/server';
import { viaIsOurs } from '../../src/server/reply-forward';
import { isMyself } from '../../src/script/myself';
import { socketInfo } from '../../src/transport/socket-info';

// Ports 15100-15119 belong to this file.
function core(): Core {
  return new Core({ log: new Logger(-5, '', () => undefined) });
}

describe('Server.listenSpecs', () => {
  const names = (s: Server) => s.listenSpecs().map((l) => `${l.proto}:${l.address}:${l.port}`);

  test('the config listen items (as the config engine keeps them) and port', () => {
    const c = core();
    c.globals.set('listen', [{ proto: 'udp', host: '127.0.0.1', port: 0, text: 'udp:127.0.0.1' }, { text: 'tcp:127.0.0.1:15101' }]);
    c.globals.set('port', 15100);
    expect(names(new Server(c))).toEqual(['udp:127.0.0.1:15100', 'tcp:127.0.0.1:15101']);
  });

  test('-l replaces the config; disable_tcp keeps protocol-less items to udp', () => {
    const c = core();
    c.globals.set('listen', [{ text: 'udp:127.0.0.1:15102' }]);
    c.globals.set('disable_tcp', true);
    expect(names(new Server(c, { listen: ['127.0.0.1:15103'] }))).toEqual(['udp:127.0.0.1:15103']);
  });

  test('nothing configured: udp and tcp on 127.0.0.1:5060', () => {
    expect(names(new Server(core()))).toEqual(['udp:127.0.0.1:5060', 'tcp:127.0.0.1:5060']);
  });
});

describe('Server start/stop', () => {
  test('start opens the sockets, sets core.sender and runs child_init(rank); stop destroys modules and closes', async () => {
    const c = core();
    const calls: string[] = [];
    c.modules.registerDescriptor({
      name: 'probe',
      childInit: (rank, k) => { calls.push(`child_init ${rank} sender=${k.sender !== null} rank=${k.rank}`); },
      destroy: () => { calls.push('destroy'); },
    });
    c.globals.set('listen', [{ text: 'udp:127.0.0.1:15104' }]);
    const s = new Server(c);
    await s.start(3);
    expect(s.transports?.sockets.map((x) => x.name)).toEqual(['udp:127.0.0.1:15104']);
    expect(c.sender).toBe(s.transports);
    expect(calls).toEqual(['child_init 3 sender=true rank=3']);
    await s.stop();
    expect(calls).toEqual(['child_init 3 sender=true rank=3', 'destroy']);
    // the port is free again
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r, j) => { probe.once('error', j); probe.bind(15104, '127.0.0.1', () => r()); });
    probe.close();
  });

  test('tcp_* globals become the stream limits', async () => {
    const c = core();
    c.globals.set('listen', [{ text: 'tcp:127.0.0.1:15105' }]);
    c.globals.set('tcp_max_connections', 7);
    c.globals.set('tcp_connection_lifetime', 30);
    c.globals.set('tcp_connect_timeout', 2);
    const s = new Server(c);
    await s.start(1);
    expect(s.transports!.connections.limits).toMatchObject({ maxConnections: 7, lifetimeMs: 30_000, connectTimeoutMs: 2000 });
    await s.stop();
  });
});

describe('advertised address and port', () => {
  test('advertised_address/advertised_port reach every socket', async () => {
    const c = core();
    c.globals.set('listen', [{ text: 'udp:127.0.0.1:15106' }, { text: 'tcp:127.0.0.1:15106' }]);
    c.globals.set('advertised_address', 'sip.example.com');
    c.globals.set('advertised_port', 5080);
    const s = new Server(c);
    await s.start(1);
    expect(s.transports!.sockets.map((x) => [x.name, x.advertisedAddress, x.advertisedPort])).toEqual([
      ['udp:127.0.0.1:15106', 'sip.example.com', 5080],
      ['tcp:127.0.0.1:15106', 'sip.example.com', 5080],
    ]);
    await s.stop();
  });

  test('viaIsOurs matches the real and the advertised sent-by', () => {
    const sock = { ...socketInfo('udp', '127.0.0.1', 5070, 'sip.example.com', 5080) };
    expect(viaIsOurs([sock], '127.0.0.1', 5070)).toBe(true);
    expect(viaIsOurs([sock], 'SIP.example.com', 5080)).toBe(true);
    expect(viaIsOurs([sock], 'sip.example.com', 5090)).toBe(false);
    expect(viaIsOurs([sock], '10.0.0.1', 5070)).toBe(false);
    expect(viaIsOurs([socketInfo('udp', '127.0.0.1', 5060)], '127.0.0.1', 0)).toBe(true);
    expect(viaIsOurs([socketInfo('udp', '0.0.0.0', 5060)], '192.0.2.7', 5060)).toBe(true);
    expect(viaIsOurs([socketInfo('udp', '::1', 5060)], '[::1]', 5060)).toBe(true);
  });
});

describe('-l and myself', () => {
  test('-l replaces the listen entries myself checks', async () => {
    const c = core();
    c.globals.set('listen', [{ proto: 'udp', host: '127.0.0.1', port: 5060, text: 'udp:127.0.0.1:5060' }]);
    const s = new Server(c, { listen: ['udp:127.0.0.1:15107'] });
    await s.start(1);
    expect(isMyself(c, '127.0.0.1', 15107)).toBe(true);
    expect(isMyself(c, '127.0.0.1', 5060)).toBe(false);
    await s.stop();
  });
});

describe('transport RPCs', () => {
  test('core.tcp_info counts this process\'s connections; core.tcp_options shows the settings', async () => {
    const c = core();
    c.globals.set('listen', [{ text: 'tcp:127.0.0.1:15108' }]);
    c.globals.set('tcp_connection_lifetime', 30);
    const s = new Server(c);
    await s.start(1);
    const sock = net.connect(15108, '127.0.0.1');
    await new Promise((r) => sock.on('connect', r));
    await new Promise((r) => setTimeout(r, 50));
    expect(await c.rpc.invoke('core.tcp_info', [])).toEqual({
      ok: true, values: [{ readers: 1, max_connections: 2048, opened_connections: 1, write_queued_bytes: 0 }],
    });
    expect((await c.rpc.invoke('core.tcp_options', [])).values[0]).toMatchObject({ connect_timeout: 10, connection_lifetime: 30, 'max_connections(soft)': 2048 });
    sock.destroy();
    await s.stop();
  });

  test('without a TCP socket they fault like kamailio', async () => {
    const c = core();
    c.globals.set('listen', [{ text: 'udp:127.0.0.1:15109' }]);
    const s = new Server(c);
    await s.start(1);
    expect(await c.rpc.invoke('core.tcp_info', [])).toEqual({ ok: false, values: [], fault: { code: 500, message: 'tcp support disabled' } });
    await s.stop();
  });
});
