// Builds every workspace package: src/**/*.ts -> dist/**/*.js (CommonJS, one file per source,
// no bundling) so packages resolve each other through node_modules like published ones do.
import { build } from 'esbuild';
import { readFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function expand(pattern) {
  if (!pattern.endsWith('/*')) return [pattern];
  const dir = join(root, pattern.slice(0, -2));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((d) => join(pattern.slice(0, -2), d));
}

function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const started = Date.now();
let files = 0;
for (const ws of pkg.workspaces.flatMap(expand)) {
  const src = join(root, ws, 'src');
  if (!existsSync(src) || !existsSync(join(root, ws, 'package.json'))) continue;
  const entryPoints = sources(src);
  if (entryPoints.length === 0) continue;
  const outdir = join(root, ws, 'dist');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir,
    outbase: src,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  files += entryPoints.length;
}
if (!process.env.SIPR_QUIET_BUILD) {
  process.stderr.write(`build: ${files} files in ${Date.now() - started} ms\n`);
}
