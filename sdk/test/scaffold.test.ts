import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleHarness, runCli, scaffoldModule } from '@sipr/sdk';

const OPTIONS = 'OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-t\r\n'
  + 'From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: t1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

let tmp: string;
beforeEach(() => { tmp = mkdtempSync(join(tmpdir(), 'sipr-scaffold-')); });
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

test.each(['kamailio', 'ser'] as const)('a scaffolded %s-shaped module loads and works', async (shape) => {
  const dir = join(tmp, 'greet');
  expect(scaffoldModule(dir, { name: 'greet', shape })).toEqual(['package.json', 'index.js', 'README.md', join('test', 'greet.test.js')]);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  expect(pkg).toMatchObject({ name: 'sipr-mod-greet', sipr: { name: 'greet', interface: shape, core: '^0.1.0', entry: 'index.js' } });
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  expect(readme.match(/^## .*/gm)).toEqual(['## Overview', '## Dependencies', '## Parameters', '## Functions', '## RPC', '## Examples', '## Event routes']);

  const h = await ModuleHarness.create({ modules: [dir, 'sl'], params: [['greet', 'greeting', 'Hi']] });
  expect(h.core.modules.get('greet')!.descriptor.interface).toBe(shape);
  const ctx = h.context(h.message(OPTIONS));
  expect(h.call('greet_hello', ['bob'], ctx).rc).toBe(1);
  h.call('sl_send_reply', ['200', 'OK'], ctx);
  expect(h.sentText()[0]).toContain('\r\nX-Hello: Hi, bob\r\nContent-Length: 0\r\n\r\n');
  await h.destroy();
});

test('the command line: new, refusals, usage', () => {
  const out: string[] = [];
  const err: string[] = [];
  const run = (...a: string[]) => runCli(a, (s) => out.push(s), (s) => err.push(s));
  expect(run('new', join(tmp, 'm'), '--name', 'my_mod', '--shape', 'ser', '--package', '@acme/sipr-my-mod')).toBe(0);
  expect(out[0]).toBe(`created ${join(tmp, 'm')}: package.json, index.js, README.md, ${join('test', 'my_mod.test.js')}`);
  expect(JSON.parse(readFileSync(join(tmp, 'm', 'package.json'), 'utf8')).name).toBe('@acme/sipr-my-mod');
  expect(run('new', join(tmp, 'm'), '--name', 'again')).toBe(1);
  expect(err.pop()).toBe(`sipr-module: ${join(tmp, 'm')} is not empty`);
  expect(run('new', join(tmp, 'n'), '--name', 'bad-name')).toBe(1);
  expect(err.pop()).toBe('sipr-module: invalid module name "bad-name" (letters, digits and _)');
  expect(run('frobnicate')).toBe(2);
  expect(err.pop()).toMatch(/^usage: sipr-module new/);
});
