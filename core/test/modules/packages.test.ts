/**
 * Every module package is an npm workspace the lock file knows about, with the same name,
 * version and dependencies: otherwise `npm ci` (CI, a fresh clone) refuses to install.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** dependencies in a stable order (npm writes them sorted into the lock) */
const deps = (p: Pkg) => JSON.stringify(Object.entries(p.dependencies ?? {}).sort(([a], [b]) => a.localeCompare(b)));

interface Pkg { name: string; version: string; dependencies?: Record<string, string>; resolved?: string }

test('package-lock.json lists every committed plugin package as it is', () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Pkg> };
  const files = execFileSync('git', ['ls-files', '--', 'plugins/*/package.json'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  expect(files.length).toBeGreaterThan(0);
  const stale: string[] = [];
  for (const f of files) {
    const dir = f.slice(0, -'/package.json'.length);
    const pkg = JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as Pkg;
    const entry = lock.packages[dir];
    const same = entry && entry.name === pkg.name && entry.version === pkg.version
      && deps(entry) === deps(pkg)
      && lock.packages[`node_modules/${pkg.name}`]?.resolved === dir;
    if (!same) stale.push(dir);
  }
  if (stale.length) throw new Error(`package-lock.json is out of date for ${stale.join(', ')}: run npm install --no-audit --no-fund and commit package-lock.json`);
});
