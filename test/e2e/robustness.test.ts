/**
 * What operators rely on: bad packets do not take the server down, a busy port is one clear
 * line, signals shut down cleanly, workers serve and stop together. Ports 15260-15279.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runSipr, startSipr, ROOT, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp } from './helpers/sipp';

const CFG = (port: number, extra = '') => `#!KAMAILIO
${extra}
listen=udp:127.0.0.1:${port}
listen=tcp:127.0.0.1:${port}
loadmodule "sl"
request_route {
	if (method == "ACK") exit;
	sl_send_reply("200", "OK");
}
`;

/** Send datagrams from one socket; collect what comes back for a while. */
async function sendDatagrams(port: number, from: number, packets: Buffer[], waitMs = 300): Promise<string[]> {
  const sock = dgram.createSocket('udp4');
  const replies: string[] = [];
  sock.on('message', (m) => replies.push(m.toString('latin1')));
  await new Promise<void>((r) => sock.bind(from, '127.0.0.1', () => r()));
  for (const p of packets) await new Promise<void>((r) => sock.send(p, port, '127.0.0.1', () => r()));
  await new Promise((r) => setTimeout(r, waitMs));
  sock.close();
  return replies;
}

describe('malformed input', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;
  const PORT = 15260;
  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('robust.cfg', CFG(PORT)), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('every RFC 4475 invalid message and some garbage leave the server up; the next OPTIONS is answered', async () => {
    const invalid = join(ROOT, 'test/corpus/rfc4475/invalid');
    const packets = readdirSync(invalid).sort().map((f) => readFileSync(join(invalid, f)));
    expect(packets.length).toBeGreaterThan(10);
    packets.push(Buffer.from([0, 1, 2, 3, 255, 254]), Buffer.from('SIP/2.0 999\r\n\r\n'), Buffer.alloc(0), Buffer.from('\r\n\r\n'));
    await sendDatagrams(PORT, 15261, packets);
    expect(sipr.running).toBe(true);
    const r = await runSipp({ scenario: 'options-200.xml', localPort: 15262, target: `127.0.0.1:${PORT}`, calls: 2 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
    expect(sipr.stderr).toMatch(/WARNING: dropping malformed message from udp:127\.0\.0\.1:15261/);
  });

  test('a request with a readable first line and a broken header is answered 400', async () => {
    const req = [
      'OPTIONS sip:x@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:15263;branch=z9hG4bK-bad1;rport',
      'From: <sip:a@127.0.0.1>;tag=1',
      'To: <sip:x@127.0.0.1>',
      'Call-ID: bad-header-1',
      'CSeq: 1 OPTIONS',
      'This line has no colon',
      'Content-Length: 0',
      '', ''].join('\r\n');
    const replies = await sendDatagrams(PORT, 15263, [Buffer.from(req)]);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^SIP\/2\.0 400 /);
    expect(replies[0]).toContain('Call-ID: bad-header-1\r\n');
    expect(replies[0]).toMatch(/\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1:15263;branch=z9hG4bK-bad1;rport=15263/);
  });

  test('a TCP stream with broken framing is closed; the server keeps serving TCP', async () => {
    const sock = net.connect(PORT, '127.0.0.1');
    sock.on('error', () => undefined);
    const closed = new Promise<void>((r) => sock.on('close', () => r()));
    sock.write('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nContent-Length: abc\r\n\r\n');
    await Promise.race([closed, new Promise((_, j) => setTimeout(() => j(new Error('not closed')), 3000))]);
    const r = await runSipp({ scenario: 'options-200.xml', transport: 't1', localPort: 15264, target: `127.0.0.1:${PORT}`, calls: 2 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('startup and shutdown', () => {
  const dir = new TempDir();
  afterAll(() => dir.remove());

  test.each([
    ['udp', 1],
    ['tcp', 1],
    ['udp', 2],
  ])('a %s port in use is one line and exit 1 (-n %d)', async (proto, workers) => {
    const port = proto === 'udp' ? 15265 : 15266;
    const blocker = proto === 'udp' ? dgram.createSocket('udp4') : net.createServer();
    await new Promise<void>((r) => (blocker instanceof net.Server ? blocker.listen(port, '127.0.0.1', () => r()) : blocker.bind(port, '127.0.0.1', () => r())));
    try {
      const r = await runSipr(['-f', dir.write(`busy-${proto}.cfg`, CFG(port)), '-n', String(workers)]);
      expect(r.stderr).toBe(`listen ${proto}:127.0.0.1:${port}: address already in use\n`);
      expect(r.code).toBe(1);
    } finally {
      blocker.close();
    }
  });

  test('with -d the same error comes with its stack', async () => {
    const blocker = dgram.createSocket('udp4');
    await new Promise<void>((r) => blocker.bind(15269, '127.0.0.1', () => r()));
    try {
      const r = await runSipr(['-d', '-f', dir.write('busy-d.cfg', CFG(15269)), '-n', '1']);
      expect(r.stderr.split('\n')[0]).toBe('listen udp:127.0.0.1:15269: address already in use');
      expect(r.stderr).toMatch(/^\s+at .*transport\/udp\.js/m);
      expect(r.code).toBe(1);
    } finally {
      blocker.close();
    }
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('%s stops the server with exit 0 and frees its ports', async (sig) => {
    const port = sig === 'SIGTERM' ? 15267 : 15268;
    const s = await startSipr(['-f', dir.write(`sig-${sig}.cfg`, CFG(port)), '-n', '1']);
    s.proc.kill(sig);
    const t = setTimeout(() => s.proc.kill('SIGKILL'), 5000);
    const r = await s.exited;
    clearTimeout(t);
    expect(r).toEqual({ code: 0, signal: null });
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((res, rej) => { probe.once('error', rej); probe.bind(port, '127.0.0.1', () => res()); });
    probe.close();
  });
});

describe('module lifecycle in the running server', () => {
  const dir = new TempDir();
  afterAll(() => dir.remove());

  /** A module that appends `<phase> <rank> <pid>` lines to a file named by its modparam. */
  function lifecycleModule(): string {
    dir.write('node_modules/sipr-mod-lifecycle/package.json', JSON.stringify({
      name: 'sipr-mod-lifecycle', version: '1.0.0', main: 'index.js',
      sipr: { name: 'lifecycle', interface: 'kamailio', core: '^0.1.0', entry: 'index.js' },
    }));
    dir.write('node_modules/sipr-mod-lifecycle/index.js', `'use strict';
const fs = require('fs');
const file = { value: '' };
const note = (what) => fs.appendFileSync(file.value, what + ' ' + process.pid + '\\n');
module.exports = {
  name: 'lifecycle',
  params: [['file', 1, file]],
  init: () => note('init'),
  child_init: (rank) => note('child_init ' + rank),
  destroy: () => note('destroy'),
};
`);
    return join(dir.path, 'lifecycle.log');
  }

  const read = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => l.replace(/ \d+$/, ''));

  test('one process: init, child_init(1), and destroy on SIGTERM', async () => {
    const log = lifecycleModule();
    const cfg = dir.write('life1.cfg', CFG(15274, `loadmodule "sipr-mod-lifecycle"\nmodparam("lifecycle", "file", "${log}")`));
    const s = await startSipr(['-f', cfg, '-n', '1']);
    expect(read(log)).toEqual(['init', 'child_init 1']);
    expect(await s.stop()).toEqual({ code: 0, signal: null });
    expect(read(log)).toEqual(['init', 'child_init 1', 'destroy']);
  });

  test('two workers: each inits, runs child_init with its rank and is destroyed', async () => {
    const log = lifecycleModule();
    rmSync(log, { force: true });
    const cfg = dir.write('life2.cfg', CFG(15275, `loadmodule "sipr-mod-lifecycle"\nmodparam("lifecycle", "file", "${log}")`));
    const s = await startSipr(['-f', cfg, '-n', '2']);
    expect(read(log).filter((l) => l.startsWith('child_init')).sort()).toEqual(['child_init 1', 'child_init 2']);
    expect(await s.stop()).toEqual({ code: 0, signal: null });
    expect(read(log).filter((l) => l === 'destroy')).toHaveLength(2);
  });
});

describe('workers (-n 2)', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;
  const PORT = 15270;
  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('workers.cfg', CFG(PORT, 'children=2'))]);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('children=2 starts two workers that answer over UDP and TCP', async () => {
    expect(sipr.stderr).toMatch(/^sipr .* ready \(pid \d+, 2 workers\)$/m);
    expect(sipr.stderr).toContain(`sipr: listening on udp:127.0.0.1:${PORT}`);
    const workers = execFileSync('pgrep', ['-P', String(sipr.proc.pid)]).toString().trim().split('\n');
    expect(workers).toHaveLength(2);
    const udp = await runSipp({ scenario: 'options-200.xml', localPort: 15271, target: `127.0.0.1:${PORT}`, calls: 20, rate: 100 });
    expect(udp.errors).toBe('');
    expect(udp.code).toBe(0);
    const tcp = await runSipp({ scenario: 'register-200.xml', transport: 't1', localPort: 15272, target: `127.0.0.1:${PORT}`, calls: 5 });
    expect(tcp.errors).toBe('');
    expect(tcp.code).toBe(0);
  });

  test('fork=no keeps one process even with children=2', async () => {
    const s = await startSipr(['-f', dir.write('nofork.cfg', CFG(15273, 'children=2\nfork=no'))]);
    try {
      expect(s.stderr).toMatch(/^sipr .* ready \(pid \d+, 1 process\)$/m);
    } finally {
      await s.stop();
    }
  });

  test('SIGTERM stops the workers and the primary with exit 0', async () => {
    const pids = execFileSync('pgrep', ['-P', String(sipr.proc.pid)]).toString().trim().split('\n').map(Number);
    const r = await sipr.stop();
    expect(r).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('a module function that throws', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;
  const PORT = 15276;
  // a third-party module as published: each function fails in its own way
  const MOD = `'use strict';
module.exports = {
  name: 'throw',
  version: '1.0.0',
  cmds: [
    ['throw_sync', () => { throw new Error('sync boom'); }, 0, null, null, 1],
    ['throw_async', () => Promise.reject(new Error('async boom')), 0, null, null, 1],
    ['throw_later', () => { setTimeout(() => { throw new Error('timer boom'); }, 5); return 1; }, 0, null, null, 1],
    ['reject_later', () => { Promise.reject(new Error('loose boom')); return 1; }, 0, null, null, 1],
  ],
};
`;
  const request = (user: string) => Buffer.from([
    `OPTIONS sip:${user}@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:15277;branch=z9hG4bK-${user};rport`,
    'From: <sip:a@127.0.0.1>;tag=1',
    'To: <sip:b@127.0.0.1>',
    `Call-ID: throw-${user}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '', ''].join('\r\n'));
  beforeAll(async () => {
    dir.write('mods/sipr-mod-throw/index.js', MOD);
    dir.write('mods/sipr-mod-throw/package.json', JSON.stringify({
      name: 'sipr-mod-throw', version: '1.0.0', main: 'index.js',
      sipr: { name: 'throw', interface: 'kamailio', core: '^0.1.0', entry: 'index.js' },
    }));
    const cfg = dir.write('throw.cfg', `listen=udp:127.0.0.1:${PORT}
loadpath "${join(dir.path, 'mods')}"
loadmodule "sl"
loadmodule "sipr-mod-throw"
request_route {
	if (uri =~ "^sip:sync@") { throw_sync(); exit; }
	if (uri =~ "^sip:async@") { throw_async(); exit; }
	if (uri =~ "^sip:cont@") { throw_sync(); sl_send_reply("200", "after $rc"); exit; }
	if (uri =~ "^sip:later@") { throw_later(); exit; }
	if (uri =~ "^sip:loose@") { reject_later(); exit; }
	sl_send_reply("200", "OK");
}
`);
    sipr = await startSipr(['-f', cfg, '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('sync and async failures send no reply, are logged with the config position, and the next request is answered', async () => {
    const replies = await sendDatagrams(PORT, 15277, ['sync', 'async', 'cont', 'ok'].map(request), 500);
    expect(sipr.running).toBe(true);
    // no reply from the core for the failed requests; the script goes on after a failing call with $rc = -1
    expect(replies.map((r) => r.split('\r\n')[0])).toEqual(['SIP/2.0 200 after -1', 'SIP/2.0 200 OK']);
    expect(replies[1]).toContain('Call-ID: throw-ok\r\n');
    expect(sipr.stderr).toMatch(/ERROR: \S+throw\.cfg:6:\d+: throw_sync\(\) failed: sync boom\n/);
    expect(sipr.stderr).toMatch(/ERROR: \S+throw\.cfg:7:\d+: throw_async\(\) failed: async boom\n/);
    // the stack is printed only at debug level
    expect(sipr.stderr).not.toMatch(/at Object\.|at throw_sync|index\.js:\d+/);
  });

  test('an error thrown from a module timer and a loose rejected promise are logged; the server keeps serving', async () => {
    await sendDatagrams(PORT, 15277, [request('later'), request('loose')], 300);
    expect(sipr.running).toBe(true);
    expect(sipr.stderr).toMatch(/ERROR: uncaught error: timer boom\n/);
    expect(sipr.stderr).toMatch(/ERROR: uncaught error: loose boom\n/);
    const replies = await sendDatagrams(PORT, 15277, [request('again')], 300);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^SIP\/2\.0 200 OK\r\n/);
  });

  test('at debug level the error comes with its stack', async () => {
    const cfg = readFileSync(join(dir.path, 'throw.cfg'), 'utf8').replace(`listen=udp:127.0.0.1:${PORT}`, 'debug=3\nlisten=udp:127.0.0.1:15278');
    const dbg = await startSipr(['-f', dir.write('throw-debug.cfg', cfg), '-n', '1']);
    try {
      await sendDatagrams(15278, 15277, [request('sync')], 300);
      expect(dbg.stderr).toMatch(/ERROR: \S+throw-debug\.cfg:7:\d+: throw_sync\(\) failed: Error: sync boom\n\s+at /);
    } finally {
      await dbg.stop();
    }
  });

  test('start-up errors still end the process non-zero', async () => {
    dir.write('mods/sipr-mod-badinit/index.js', `module.exports = { name: 'badinit', version: '1.0.0', child_init: () => { throw new Error('init boom'); } };`);
    dir.write('mods/sipr-mod-badinit/package.json', JSON.stringify({
      name: 'sipr-mod-badinit', version: '1.0.0', main: 'index.js',
      sipr: { name: 'badinit', interface: 'kamailio', core: '^0.1.0', entry: 'index.js' },
    }));
    const cfg = dir.write('badinit.cfg', `listen=udp:127.0.0.1:15278\nloadpath "${join(dir.path, 'mods')}"\nloadmodule "sipr-mod-badinit"\nrequest_route {\n\texit;\n}\n`);
    const r = await runSipr(['-f', cfg, '-n', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/init boom/);
  });
});
