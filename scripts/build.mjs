// Builds every workspace package: src/**/*.ts -> dist/**/*.js (CommonJS, one file per source,
// no bundling) so packages resolve each other through node_modules like published ones do.
// Output is swapped in file by file (write aside, rename over), and only stale files are removed:
// a sipr started while a build runs never finds dist/ missing or a file half-written.
import { build } from 'esbuild';
import { readFileSync, readdirSync, statSync, existsSync, rmSync, mkdirSync, writeFileSync, renameSync, rmdirSync } from 'node:fs';
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

/** Each changed file is written next to its place and renamed over it; files no longer built go. */
function swapIn(outdir, outputFiles) {
  const keep = new Set();
  for (const f of outputFiles) {
    keep.add(f.path);
    if (existsSync(f.path) && Buffer.compare(readFileSync(f.path), f.contents) === 0) continue;
    mkdirSync(dirname(f.path), { recursive: true });
    const aside = `${f.path}.${process.pid}.tmp`;
    writeFileSync(aside, f.contents);
    renameSync(aside, f.path);
  }
  if (existsSync(outdir)) removeStale(outdir, keep);
}

/** Removes what this build did not produce; true when the folder is left empty. */
function removeStale(dir, keep) {
  let left = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (removeStale(p, keep)) rmdirSync(p);
      else left++;
    } else if (keep.has(p) || name.endsWith('.tmp')) left++;
    else rmSync(p, { force: true });
  }
  return left === 0;
}

const started = Date.now();
let files = 0;
for (const ws of pkg.workspaces.flatMap(expand)) {
  const src = join(root, ws, 'src');
  if (!existsSync(src) || !existsSync(join(root, ws, 'package.json'))) continue;
  const entryPoints = sources(src);
  if (entryPoints.length === 0) continue;
  const outdir = join(root, ws, 'dist');
  const { outputFiles } = await build({
    entryPoints,
    outdir,
    outbase: src,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  swapIn(outdir, outputFiles);
  files += entryPoints.length;
}
if (!process.env.SIPR_QUIET_BUILD) {
  process.stderr.write(`build: ${files} files in ${Date.now() - started} ms\n`);
}
