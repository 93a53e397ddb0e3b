/**
 * registry.json: the catalogue of the modules this repository ships, built from each plugin's
 * manifest and from what the module really exports once loaded. A unit test keeps the checked-in
 * file equal to buildCatalogue(); `sipr-module catalogue` rewrites it.
 */
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

/** The catalogue of every plugins/* package that has a sipr manifest, by module name. */
export function buildCatalogue(root: string): Catalogue {
  const plugins = join(root, 'plugins');
  const modules: CatalogueEntry[] = [];
  for (const name of readdirSync(plugins).sort()) {
    const dir = join(plugins, name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const e = entryFor(dir);
    if (e) modules.push(e);
  }
  modules.sort((a, b) => a.name.localeCompare(b.name));
  return { $comment: COMMENT, modules };
}

export function formatCatalogue(c: Catalogue): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}
