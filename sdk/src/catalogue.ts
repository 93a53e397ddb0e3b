/**
 * registry.json: the catalogue of the modules this repository ships, built from each plugin's
 * manifest and from what the module really exports once loaded. A unit test keeps the checked-in
 * file equal to buildCatalogue(); `sipr-module catalogue` rewrites it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core, Logger, LogLevel, type ModuleManifest } from '@sipr/core';
import { apply as applyCompat } from '@sipr/compat';

export interface CatalogueEntry {
  name: string;
  package: string;
  interface: ModuleManifest['interface'];
  core: string;
  description: string;
  /** script functions as name/arity ('var' for variadic) */
  functions: string[];
  params: string[];
  pvs: string[];
  rpc: string[];
}

export interface Catalogue {
  $comment: string;
  modules: CatalogueEntry[];
}

const COMMENT = 'Modules shipped with sipr (plugins/*). Generated from the manifests and the loaded exports: npx sipr-module catalogue';

function entryFor(dir: string): CatalogueEntry | null {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; sipr?: ModuleManifest };
  if (!pkg.sipr) return null;
  const core = new Core({ log: new Logger(LogLevel.ERR, '', () => undefined) });
  applyCompat(core);
  const d = core.modules.load(dir).descriptor;
  return {
    name: pkg.sipr.name,
    package: pkg.name,
    interface: pkg.sipr.interface,
    core: pkg.sipr.core,
    description: pkg.sipr.description ?? '',
    functions: d.functions.filter((f) => f.script !== false).map((f) => `${f.name}/${f.arity}`).sort(),
    params: d.params.map((p) => `${p.name}:${p.type}`).sort(),
    pvs: d.pvs.map((p) => p.name).sort(),
    rpc: d.rpc.map((r) => r.name).sort(),
  };
}

/**
 * The plugin folders that are part of the repository: in a git work tree the ones whose
 * package.json is committed (a module someone is still writing is not shipped yet), else all.
 */
function shippedPlugins(root: string): string[] {
  const plugins = join(root, 'plugins');
  const all = readdirSync(plugins).filter((n) => existsSync(join(plugins, n, 'package.json'))).sort();
  let tracked: string;
  try {
    tracked = execFileSync('git', ['ls-files', '--', 'plugins/*/package.json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return all;
  }
  const names = new Set(tracked.split('\n').filter(Boolean).map((f) => f.split('/')[1]));
  return all.filter((n) => names.has(n));
}

/** The catalogue of every shipped plugins/* package that has a sipr manifest, by module name. */
export function buildCatalogue(root: string): Catalogue {
  const modules: CatalogueEntry[] = [];
  for (const name of shippedPlugins(root)) {
    const dir = join(root, 'plugins', name);
    const e = entryFor(dir);
    if (e) modules.push(e);
  }
  modules.sort((a, b) => a.name.localeCompare(b.name));
  return { $comment: COMMENT, modules };
}

export function formatCatalogue(c: Catalogue): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}
