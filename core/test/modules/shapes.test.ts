/**
 * Modules of both shapes loaded side by side from packages: the kamailio-shaped fixture (hello),
 * the ser-shaped fixture (counter) and the shipped sl (kamailio) and maxfwd (ser).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModuleHarness } from '@sipr/sdk';
import { RouteType } from '@sipr/core';
import { FIXTURES, tempDir } from './helpers';

const OPTIONS = 'OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-s\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\n'
  + 'To: <sip:bob@127.0.0.1>\r\nCall-ID: s1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

test('kamailio- and ser-shaped modules run side by side', async () => {
  const h = await ModuleHarness.create({
    loadPath: [FIXTURES],
    modules: ['sipr-mod-hello', 'sipr-mod-counter', 'sl.so', 'maxfwd.so'],
    params: [['hello', 'greeting', 'Howdy'], ['hello', 'times', 2], ['counter', 'step', 10], ['maxfwd', 'max_limit', 30]],
  });
  expect(h.core.modules.list().map((m) => [m.descriptor.name, m.descriptor.interface])).toEqual([
    ['hello', 'kamailio'], ['counter', 'ser'], ['sl', 'kamailio'], ['maxfwd', 'ser'],
  ]);
  const ctx = h.context(h.message(OPTIONS));
  expect(h.call('hello', ['bob'], ctx).rc).toBe(1);
  expect(ctx.slots.get('hello')).toBe('Howdy, bobHowdy, bob');
  expect(h.call('count_add', ['3'], ctx).rc).toBe(30);
  expect(h.call('mf_process_maxfwd_header', ['10'], ctx).rc).toBe(2);
  expect(h.call('sl_send_reply', ['200', 'OK'], ctx).rc).toBe(1);
  expect(h.call('hello_count', [], h.message(OPTIONS), RouteType.FAILURE).rc).toBe(1);
  expect((await h.core.rpc.invoke('hello.greet', ['carol'])).values).toEqual(['Howdy, carol']);
  expect((await h.core.rpc.invoke('counter.get', [])).values).toEqual([30]);
  expect((await h.core.rpc.invoke('system.methodHelp', ['counter.get'])).values).toEqual(['Returns the counter.']);
  await expect(ModuleHarness.create({ loadPath: [FIXTURES], modules: ['sipr-mod-counter'], params: [['counter', 'step', 0]] }))
    .rejects.toThrow('modparam("counter", "step"): counter: invalid value 0');
  await h.destroy();
});

describe('a third-party module installed with npm', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    t = tempDir('sipr-npm-');
    writeFileSync(join(t.dir, 'package.json'), JSON.stringify({ name: 'my-sip-proxy', version: '1.0.0', private: true }));
    // --install-links copies the folder like a registry tarball would be unpacked (no symlink)
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--install-links', join(FIXTURES, 'sipr-mod-hello')], { cwd: t.dir, stdio: 'pipe', timeout: 60000 });
  });
  afterAll(() => t.cleanup());

  test('loads by package name from the config\'s directory', async () => {
    const h = await ModuleHarness.create({ cfgFile: join(t.dir, 'kamailio.cfg'), modules: ['sipr-mod-hello'], params: [['hello', 'greeting', 'Hi']] });
    const m = h.core.modules.get('hello')!;
    expect(m.location).toBe(join(t.dir, 'node_modules', 'sipr-mod-hello'));
    expect(m.manifest).toMatchObject({ name: 'hello', interface: 'kamailio', core: '^0.1.0' });
    expect(m.descriptor.version).toBe('1.2.3');
    expect((await h.core.rpc.invoke('hello.greet', [])).values).toEqual(['Hi, world']);
  });
});
