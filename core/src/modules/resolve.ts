/**
 * Where `loadmodule "<spec>"` finds a module package. A Kamailio config must load unchanged, so
 * "sl.so" and "/usr/lib/kamailio/modules/sl.so" fall back to the module named "sl" when no such
 * file exists. Search order (docs/modules.md): explicit path; each loadpath dir (<dir>/<name>
 * package folder, then npm resolution from <dir>); npm resolution from the config's directory;
 * the modules sipr ships (registry.json, else @sipr/<name>). For names, packages without a sipr
 * manifest are passed over.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

export interface PackageJson {
  name?: string;
  version?: string;
  sipr?: unknown;
}

export interface ResolvedModule {
  /** package folder */
  dir: string;
  pkg: PackageJson;
  /** why package.json could not be read, when it exists but is not JSON */
  error?: string;
}

export interface ResolveOptions {
  loadPath: readonly string[];
  /** directory of the config file (relative paths and npm names resolve from here) */
  baseDir: string;
}

interface CatalogueEntry { name: string; package: string }

let catalogue: Map<string, string> | null = null;

/** The shipped modules: registry.json at the repository root (absent in a plain npm install). */
function shippedPackage(name: string): string {
  if (!catalogue) {
    catalogue = new Map();
    const file = join(__dirname, '..', '..', '..', 'registry.json');
    try {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { modules?: CatalogueEntry[] };
      for (const m of doc.modules ?? []) catalogue.set(m.name, m.package);
    } catch {
      // no catalogue: shipped modules follow the @sipr/<name> convention
    }
  }
  return catalogue.get(name) ?? `@sipr/${name}`;
}

function readPackage(dir: string): ResolvedModule | null {
  const file = join(dir, 'package.json');
  try {
    if (!statSync(dir).isDirectory() || !existsSync(file)) return null;
  } catch {
    return null;
  }
  try {
    return { dir, pkg: JSON.parse(readFileSync(file, 'utf8')) as PackageJson };
  } catch (e) {
    return { dir, pkg: {}, error: `package.json is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** npm resolution of a package name from a directory (node_modules of it and its parents). */
function fromNpm(pkgName: string, fromDir: string): ResolvedModule | null {
  try {
    const file = createRequire(join(fromDir, 'noop.js')).resolve(`${pkgName}/package.json`);
    return readPackage(dirname(file));
  } catch {
    return null;
  }
}

const isScopedName = (s: string) => /^@[^/]+\/[^/]+$/.test(s);

/** A candidate that is a sipr module (or cannot be read, which must be reported). */
const isModule = (r: ResolvedModule) => r.pkg.sipr !== undefined || r.error !== undefined;

/**
 * A bare name is looked up in several places and may meet npm packages that are not sipr modules
 * (an unrelated package called "sl" in some parent's node_modules): those are passed over, and
 * only reported (as having no manifest) when no module is found at all.
 */
function byName(name: string, opts: ResolveOptions): ResolvedModule | null {
  const shipped = shippedPackage(name);
  const candidates: (() => ResolvedModule | null)[] = [];
  for (const d of opts.loadPath) {
    const dir = resolve(opts.baseDir, d);
    candidates.push(() => readPackage(join(dir, name)), () => fromNpm(name, dir));
  }
  candidates.push(() => fromNpm(name, opts.baseDir), () => fromNpm(shipped, opts.baseDir), () => fromNpm(shipped, __dirname));
  let notModule: ResolvedModule | null = null;
  for (const next of candidates) {
    const found = next();
    if (found && isModule(found)) return found;
    notModule ??= found;
  }
  return notModule;
}

function byPath(path: string, opts: ResolveOptions): ResolvedModule | null {
  const tries = isAbsolute(path)
    ? [path]
    : [resolve(opts.baseDir, path), ...opts.loadPath.map((d) => resolve(opts.baseDir, d, path))];
  for (const p of tries) {
    const found = readPackage(p) ?? (p.endsWith('.so') ? readPackage(p.slice(0, -3)) : null);
    if (found) return found;
  }
  return null;
}

export function resolveModule(spec: string, opts: ResolveOptions): ResolvedModule | null {
  if (isScopedName(spec)) return byName(spec, opts);
  const name = spec.endsWith('.so') ? basename(spec, '.so') : spec;
  if (!spec.includes('/')) return byName(name, opts);
  return byPath(spec, opts) ?? (spec.endsWith('.so') ? byName(name, opts) : null);
}
