import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalogue, formatCatalogue, type Catalogue } from '@sipr/sdk';

const ROOT = join(__dirname, '..', '..');

test('registry.json lists every shipped module with its manifest and its real exports', () => {
  const onDisk = readFileSync(join(ROOT, 'registry.json'), 'utf8');
  const built = buildCatalogue(ROOT);
  if (onDisk !== formatCatalogue(built)) {
    const old = new Map((JSON.parse(onDisk) as Catalogue).modules.map((m) => [m.name, JSON.stringify(m)]));
    const stale = built.modules.filter((m) => old.get(m.name) !== JSON.stringify(m)).map((m) => m.name);
    const gone = [...old.keys()].filter((n) => !built.modules.some((m) => m.name === n));
    throw new Error(`registry.json is out of date (changed: ${stale.join(', ') || '-'}; removed: ${gone.join(', ') || '-'}); `
      + 'run: npm run build && npx sipr-module catalogue');
  }
});

test('the catalogue entries carry what the loader and the docs need', () => {
  const sl = buildCatalogue(ROOT).modules.find((m) => m.name === 'sl')!;
  expect(sl).toMatchObject({ package: '@sipr/sl', interface: 'kamailio', core: '^0.1.0', rpc: ['sl.stats'] });
  expect(sl.functions).toEqual(['send_reply/2', 'sl_reply/2', 'sl_reply_error/0', 'sl_send_reply/2']);
  expect(sl.params).toEqual(['bind_tm:int', 'default_code:int', 'default_reason:str']);
  const maxfwd = buildCatalogue(ROOT).modules.find((m) => m.name === 'maxfwd')!;
  expect(maxfwd).toMatchObject({ interface: 'ser', params: ['max_limit:int', 'reply_483:int'] });
});
