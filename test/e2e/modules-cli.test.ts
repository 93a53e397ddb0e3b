/**
 * Modules as an operator meets them through the `sipr` command: a third-party module installed
 * with npm next to the config, loaded by package name and answering on the wire; bad and
 * incompatible modules refused at start with one line naming the module, the file and the line.
 * Ports 17080-17081.
 */
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { runSipr, startSipr, TempDir, ROOT } from './helpers/sipr';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const PORT = 17080;
const CLIENT = 17081;

describe('modules through the sipr command', () => {
  const dir = new TempDir();
  beforeAll(() => {
    dir.write('package.json', JSON.stringify({ name: 'my-proxy', version: '1.0.0', private: true }));
    execFileSync('npm', [
      'install', '--no-audit', '--no-fund', '--offline', '--install-links',
      join(FIXTURES, 'sipr-mod-hello'), join(FIXTURES, 'sipr-mod-counter'), join(FIXTURES, 'sipr-mod-old-core'), join(FIXTURES, 'sipr-mod-bad-manifest'),
    ], { cwd: dir.path, stdio: 'pipe', timeout: 90000 });
  }, 120000);
  afterAll(() => dir.remove());

  test('an incompatible and a malformed module: one line each, exit 1', async () => {
    const file = dir.write('bad.cfg', 'loadmodule "sl.so"\nloadmodule "sipr-mod-old-core"\nloadmodule "sipr-mod-bad-manifest"\nrequest_route {\n\texit;\n}\n');
    const r = await runSipr(['-c', '-f', file]);
    expect(r.code).toBe(1);
    const pkg = (name: string) => join(dir.path, 'node_modules', name, 'package.json');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `${file}:2:1: loadmodule "sipr-mod-old-core": module oldcore (${pkg('sipr-mod-old-core')}) requires @sipr/core ^2.0.0, this core is 0.1.0`,
      `${file}:3:1: loadmodule "sipr-mod-bad-manifest": bad manifest in ${pkg('sipr-mod-bad-manifest')}: `
        + 'sipr must have required property \'entry\'; sipr: unknown field "so"; sipr.interface must be one of kamailio, ser, native',
    ]);
  });

  test('modparam errors point at the modparam', async () => {
    const file = dir.write('param.cfg', 'loadmodule "sipr-mod-hello"\nmodparam("hello", "times", "2")\nmodparam("HEL+O", "nosuch", 1)\nrequest_route {\n\texit;\n}\n');
    const r = await runSipr(['-c', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `${file}:2:1: modparam: parameter "times" of type str not found in module hello (it takes an int)`,
      `${file}:3:1: modparam: parameter "nosuch" of type int not found in module hello`,
    ]);
  });

  test('npm-installed modules of both shapes run with the shipped ones', async () => {
    const file = dir.write('run.cfg', `listen=udp:127.0.0.1:${PORT}
loadmodule "pv.so"
loadmodule "sl.so"
loadmodule "sipr-mod-hello"
loadmodule "sipr-mod-counter"
modparam("counter", "step", 5)
request_route {
  count_add("2");
  $var(n) = $rc;
  if (hello("$fU") && hello_count()) {
    sl_send_reply("200", "counted $var(n) for $fU");
    exit;
  }
  sl_send_reply("500", "no");
}
`);
    const sipr = await startSipr(['-f', file, '-n', '1']);
    const sock = createSocket('udp4');
    try {
      await new Promise<void>((r) => sock.bind(CLIENT, '127.0.0.1', () => r()));
      const reply = new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no reply:\n${sipr.stderr}`)), 5000);
        sock.once('message', (m) => { clearTimeout(t); resolve(m.toString('latin1')); });
      });
      sock.send(Buffer.from(`OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${CLIENT};branch=z9hG4bK-cli1\r\n`
        + 'From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: cli1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n', 'latin1'), PORT, '127.0.0.1');
      expect((await reply).split('\r\n')[0]).toBe('SIP/2.0 200 counted 10 for alice');
    } finally {
      sock.close();
      await sipr.stop();
    }
  });
});
