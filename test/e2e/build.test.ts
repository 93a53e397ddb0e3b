/**
 * scripts/build.mjs while sipr runs from dist/: the output is swapped in file by file, so a
 * process started during a build finds every file whole. No ports.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runSipr } from './helpers/sipr';

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jsFiles(p) : n.endsWith('.js') ? [p] : [];
  });
}

function runBuild(): Promise<number | null> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, env: { ...process.env, SIPR_QUIET_BUILD: '1' }, stdio: 'ignore' });
    const timer = setTimeout(() => p.kill('SIGKILL'), 60000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

test('during a build every dist file stays present and whole; sipr -c started meanwhile works; stale files go, unchanged ones are not rewritten', async () => {
  await runBuild();
  const files = [...jsFiles(join(ROOT, 'core/dist')), ...jsFiles(join(ROOT, 'cli/dist'))];
  const unchanged = join(ROOT, 'compat/dist/index.js');
  const unchangedMtime = statSync(unchanged).mtimeMs;
  const want = new Map(files.map((f) => [f, readFileSync(f)]));
  // every file differs from what the build makes, so every one is replaced
  for (const f of files) appendFileSync(f, '\n');
  const stale = join(ROOT, 'core/dist/stale-build-test.js');
  writeFileSync(stale, '');

  let done = false;
  const build = runBuild().then((code) => { done = true; return code; });
  const check = runSipr(['-c', '-f', 'examples/default.cfg']);
  let polls = 0;
  const missing: string[] = [];
  while (!done) {
    for (const f of files) if (!existsSync(f) || statSync(f).size === 0) missing.push(f);
    polls++;
    await new Promise((r) => setImmediate(r));
  }
  expect(await build).toBe(0);
  expect(polls).toBeGreaterThan(1);
  expect(missing).toEqual([]);
  const r = await check;
  expect(r.stderr).toBe('examples/default.cfg: config file ok, exiting...\n');
  expect(r.code).toBe(0);
  for (const [f, bytes] of want) expect(readFileSync(f).equals(bytes)).toBe(true);
  expect(existsSync(stale)).toBe(false);
  expect(statSync(unchanged).mtimeMs).toBe(unchangedMtime);
}, 90000);
