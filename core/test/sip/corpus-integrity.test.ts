import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, corpusFile } from './helpers';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Entry { file: string; sha256: string; bytes: number; wire_file?: string; wire_sha256?: string; wire_bytes?: number }

describe('test/corpus is a byte-exact copy of the staged corpus', () => {
  test.each(['rfc4475', 'rfc5118'])('%s files match the manifest hashes', (set) => {
    const manifest = JSON.parse(readFileSync(join(CORPUS, set, 'manifest.json'), 'utf8')) as { messages: Entry[] };
    expect(manifest.messages.length).toBeGreaterThan(10);
    for (const e of manifest.messages) {
      const b = corpusFile(`${set}/${e.file}`);
      expect([e.file, b.length, sha(b)]).toEqual([e.file, e.bytes, e.sha256]);
      if (e.wire_file) {
        const w = corpusFile(`${set}/${e.wire_file}`);
        expect([e.wire_file, w.length, sha(w)]).toEqual([e.wire_file, e.wire_bytes, e.wire_sha256]);
      }
    }
  });

  test('protos cases match the aggregate hash', () => {
    const manifest = JSON.parse(readFileSync(join(CORPUS, 'protos/manifest.json'), 'utf8'));
    const dir = join(CORPUS, 'protos/cases');
    const names = readdirSync(dir).sort();
    expect(names.length).toBe(manifest.counts.cases);
    const agg = createHash('sha256');
    let bytes = 0;
    for (const n of names) {
      const b = readFileSync(join(dir, n));
      bytes += b.length;
      agg.update(`${n}\0`);
      agg.update(createHash('sha256').update(b).digest());
    }
    expect(bytes).toBe(manifest.counts.bytes);
    expect(agg.digest('hex')).toBe(manifest.aggregate_sha256);
  });
});
