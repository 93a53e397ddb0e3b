/**
 * The module registry: loads module packages (loadmodule), applies modparams, answers the config
 * engine's function lookups and drives the module lifecycle. It only ever sees ModuleDescriptors;
 * the kamailio/ser shapes are turned into descriptors by adapters tapped on hooks.adaptModule.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Core } from '../core';
import { SiprError, ErrorCode, type SourcePos } from '../errors';
import { RouteType, type RunCtx } from '../script/types';
import type { LoadedModule, ModuleDescriptor, ModuleFunction, ModuleManifest, ParamType } from './types';
import { checkManifest, coreSatisfies } from './manifest';
import { resolveModule } from './resolve';
import { completeDescriptor, nativeDescriptor, type NativeExport, type PartialDescriptor } from './descriptor';

export type FunctionLookup = { fn: ModuleFunction; module: string } | { error: 'unknown' | 'route' };

interface FunctionEntry { fn: ModuleFunction; module: string }

/** Registries owned by other layers; used only once they offer these methods. */
interface Registrar { registerClass?(def: unknown): void; register?(def: unknown): void }

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const where = (pos?: SourcePos) => (pos ? ` (${pos.file}:${pos.line})` : '');
/** A SiprError from any copy of the core (a module's own node_modules may hold another). */
const isSiprError = (e: unknown): e is SiprError => {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SIPR_');
};

/**
 * Whether a function flagged `allowed` may be called in a block of `routeType`. Event route bodies
 * are request routes in Kamailio 3.0 (EVENT_ROUTE == REQUEST_ROUTE): there a function allowed in
 * request routes, or flagged for events, is accepted.
 */
function allowedIn(allowed: number, routeType: number): boolean {
  if (routeType & RouteType.EVENT) return (allowed & (RouteType.REQUEST | RouteType.EVENT)) !== 0;
  return (allowed & routeType) === routeType;
}

export class ModuleRegistry {
  /**
   * Load a manifest's `source` (TypeScript) instead of `entry` when present: jest transforms
   * TypeScript on require, so unit tests run modules without a build.
   */
  preferSource = process.env.JEST_WORKER_ID !== undefined;

  private readonly loaded: LoadedModule[] = [];
  private readonly byName = new Map<string, LoadedModule>();
  private readonly fns = new Map<string, FunctionEntry[]>();
  private readonly loadPath: string[] = [];
  private replyHandlers: Array<(ctx: RunCtx) => number> = [];

  constructor(readonly core: Core) {}

  /** `loadpath`/`mpath`: directories searched before npm resolution, in the order given. */
  addLoadPath(dirs: string[]): void {
    for (const d of dirs) for (const part of d.split(':')) if (part !== '' && !this.loadPath.includes(part)) this.loadPath.push(part);
  }

  /** The directories added so far, in search order. */
  searchPath(): readonly string[] {
    return this.loadPath;
  }

  /** `loadmodule "<spec>"`: resolve, check the manifest and core range, require, adapt, register. */
  load(spec: string, pos?: SourcePos): LoadedModule {
    if (spec.trim() === '') throw new SiprError(ErrorCode.MODULE_NOT_FOUND, 'loadmodule: empty module name', pos);
    const baseDir = pos?.file ? dirname(pos.file) : process.cwd();
    const found = resolveModule(spec, { loadPath: this.loadPath, baseDir });
    if (!found) {
      const searched = this.loadPath.length ? `loadpath ${this.loadPath.join(':')}, ` : '';
      throw new SiprError(ErrorCode.MODULE_NOT_FOUND, `loadmodule "${spec}": module not found (searched ${searched}npm packages from ${baseDir}, shipped modules)`, pos);
    }
    const pkgFile = join(found.dir, 'package.json');
    const problems = found.error ? [found.error] : checkManifest(found.pkg.sipr);
    if (problems.length) {
      throw new SiprError(ErrorCode.MODULE_MANIFEST, `loadmodule "${spec}": bad manifest in ${pkgFile}: ${problems.join('; ')}`, pos);
    }
    const manifest = found.pkg.sipr as ModuleManifest;
    if (!coreSatisfies(this.core.version, manifest.core)) {
      throw new SiprError(ErrorCode.MODULE_CORE_RANGE, `loadmodule "${spec}": module ${manifest.name} (${pkgFile}) requires @sipr/core ${manifest.core}, this core is ${this.core.version}`, pos);
    }
    const previous = this.byName.get(manifest.name);
    if (previous) {
      this.core.log.warn(`loadmodule "${spec}"${where(pos)}: module ${manifest.name} already loaded from ${previous.location}${where(previous.pos)}; skipped`);
      return previous;
    }
    const exported = this.requireEntry(spec, found.dir, manifest, pos);
    let descriptor = this.adapt(spec, manifest, exported, found.dir, pos);
    // a module that does not state its version has its package's
    if ((exported as { version?: unknown }).version === undefined && found.pkg.version) descriptor = { ...descriptor, version: found.pkg.version };
    if (descriptor.name !== manifest.name) {
      throw new SiprError(ErrorCode.MODULE_MANIFEST, `loadmodule "${spec}": ${pkgFile} names the module ${manifest.name} but its export is named ${descriptor.name}`, pos);
    }
    return this.add(descriptor, found.dir, pos, manifest);
  }

  /** Register a module given as a descriptor (built-in modules, tests). */
  registerDescriptor(d: ModuleDescriptor | PartialDescriptor, location = '<builtin>', pos?: SourcePos): LoadedModule {
    const descriptor = completeDescriptor(d);
    const previous = this.byName.get(descriptor.name);
    if (previous) {
      throw new SiprError(ErrorCode.MODULE_DUPLICATE, `module ${descriptor.name} is already registered (from ${previous.location})`, pos);
    }
    return this.add(descriptor, location, pos);
  }

  /** `modparam(module, name, value)`: module is a case-insensitive ERE anchored at both ends. */
  setParam(moduleRegex: string, param: string, value: string | number, pos?: SourcePos): void {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${moduleRegex})$`, 'i');
    } catch (e) {
      throw new SiprError(ErrorCode.MODPARAM, `modparam: bad module regex "${moduleRegex}": ${errText(e)}`, pos);
    }
    const targets = this.loaded.filter((m) => re.test(m.descriptor.name));
    if (targets.length === 0) {
      throw new SiprError(ErrorCode.MODPARAM, `modparam: no module matching "${moduleRegex}" is loaded`, pos);
    }
    const type: ParamType = typeof value === 'number' ? 'int' : 'str';
    for (const { descriptor: d } of targets) {
      const p = d.params.find((x) => x.name === param && x.type === type);
      if (!p) {
        const other = d.params.find((x) => x.name === param);
        const hint = other ? ` (it takes ${other.type === 'int' ? 'an int' : 'a string'})` : '';
        throw new SiprError(ErrorCode.MODPARAM, `modparam: parameter "${param}" of type ${type} not found in module ${d.name}${hint}`, pos);
      }
      try {
        p.set(value);
      } catch (e) {
        throw new SiprError(ErrorCode.MODPARAM, `modparam("${moduleRegex}", "${param}"): ${d.name}: ${errText(e)}`, pos);
      }
    }
  }

  /**
   * Resolve a script call: newest module first, equal name, equal arity (or variadic) and allowed
   * in the route type. 'route' means it exists but not for this block type.
   */
  findFunction(name: string, nargs: number, routeType: number): FunctionLookup {
    const list = this.fns.get(name);
    let arityMatch = false;
    if (list) {
      for (const e of list) {
        if (e.fn.arity !== nargs && e.fn.arity !== 'var') continue;
        arityMatch = true;
        if (allowedIn(e.fn.allowed, routeType)) return e;
      }
    }
    return { error: arityMatch ? 'route' : 'unknown' };
  }

  /** An API export of a loaded module: `api[name]`, else its function of that name (script or not). */
  findExport<T = unknown>(module: string, name: string): T | undefined {
    const m = this.byName.get(module);
    if (!m) return undefined;
    const d = m.descriptor;
    if (d.api && Object.prototype.hasOwnProperty.call(d.api, name)) return d.api[name] as T;
    return d.functions.find((f) => f.name === name) as T | undefined;
  }

  get(name: string): LoadedModule | undefined {
    return this.byName.get(name);
  }

  /** Loaded modules in load order. */
  list(): readonly LoadedModule[] {
    return this.loaded;
  }

  /** mod_init of every module in load order, then hooks.init taps; the first failure aborts. */
  async initAll(): Promise<void> {
    for (const m of this.loaded) {
      const d = m.descriptor;
      if (!d.init) continue;
      try {
        await d.init(this.core);
      } catch (e) {
        throw this.lifecycleError(d.name, 'init', e, m.pos);
      }
    }
    await this.core.hooks.init.promise();
  }

  /** child_init(rank) of every module in load order, then hooks.childInit taps. */
  async childInitAll(rank: number): Promise<void> {
    for (const m of this.loaded) {
      const d = m.descriptor;
      if (!d.childInit) continue;
      try {
        await d.childInit(rank, this.core);
      } catch (e) {
        throw this.lifecycleError(d.name, `child_init(${rank})`, e, m.pos);
      }
    }
    await this.core.hooks.childInit.promise(rank);
  }

  /** destroy of every module, newest first, then hooks.destroy taps; failures are logged, not fatal. */
  async destroyAll(): Promise<void> {
    for (let i = this.loaded.length - 1; i >= 0; i--) {
      const d = this.loaded[i].descriptor;
      if (!d.destroy) continue;
      try {
        await d.destroy(this.core);
      } catch (e) {
        this.core.log.error(`module ${d.name}: destroy failed: ${errText(e)}`);
      }
    }
    await this.core.hooks.destroy.promise();
  }

  /**
   * The modules' response handlers for a received reply, in load order; 0 when one consumed it
   * (tm for a reply of its transaction), 1 when the reply may be forwarded statelessly.
   */
  onReply(ctx: RunCtx): number {
    const hs = this.replyHandlers;
    for (let i = 0; i < hs.length; i++) if (hs[i](ctx) === 0) return 0;
    return 1;
  }

  private lifecycleError(module: string, phase: string, e: unknown, pos?: SourcePos): SiprError {
    return new SiprError(ErrorCode.MODULE_INIT, `module ${module}: ${phase} failed: ${errText(e)}`, pos);
  }

  private requireEntry(spec: string, dir: string, manifest: ModuleManifest, pos?: SourcePos): unknown {
    const useSource = this.preferSource && manifest.source !== undefined && existsSync(join(dir, manifest.source));
    const file = join(dir, useSource ? manifest.source! : manifest.entry);
    if (!existsSync(file)) {
      throw new SiprError(ErrorCode.MODULE_NOT_FOUND, `loadmodule "${spec}": entry ${file} of module ${manifest.name} does not exist (is the package built?)`, pos);
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(file) as { default?: unknown };
      return mod && typeof mod === 'object' && 'default' in mod && mod.default !== undefined ? mod.default : mod;
    } catch (e) {
      throw new SiprError(ErrorCode.MODULE_INIT, `loadmodule "${spec}": module ${manifest.name} failed to load from ${file}: ${errText(e)}`, pos);
    }
  }

  private adapt(spec: string, manifest: ModuleManifest, exported: unknown, location: string, pos?: SourcePos): ModuleDescriptor {
    try {
      if (manifest.interface === 'native') return nativeDescriptor(exported as NativeExport);
      if (!this.core.hooks.adaptModule.get(manifest.interface)?.isUsed()) this.applyCompat();
      const d = this.core.hooks.adaptModule.for(manifest.interface).call({ name: manifest.name, exported, location, pos });
      if (!d) throw new Error(`no adapter accepted its ${manifest.interface}-style export`);
      return completeDescriptor(d, manifest.interface);
    } catch (e) {
      if (isSiprError(e) && e.pos) throw e;
      throw new SiprError(ErrorCode.MODULE_MANIFEST, `loadmodule "${spec}": module ${manifest.name}: ${errText(e)}`, pos);
    }
  }

  /**
   * The kamailio/ser adapters live in @sipr/compat, which depends on the core; when nothing tapped
   * them yet (tests, embedders) they are applied here so a config loads the same either way.
   */
  private applyCompat(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compat = require('@sipr/compat') as { apply?: (core: Core) => void };
    if (typeof compat.apply !== 'function') throw new Error('@sipr/compat has no apply(core)');
    compat.apply(this.core);
  }

  private add(descriptor: ModuleDescriptor, location: string, pos?: SourcePos, manifest?: ModuleManifest): LoadedModule {
    const entry: LoadedModule = { descriptor, location, pos, manifest };
    const d = descriptor;
    try {
      d.register?.(this.core);
      this.registerExports(d);
    } catch (e) {
      if (isSiprError(e) && e.pos) throw e;
      throw new SiprError(isSiprError(e) ? e.code : ErrorCode.MODULE_INIT, `module ${d.name}: ${errText(e)}`, pos);
    }
    this.loaded.push(entry);
    this.byName.set(d.name, entry);
    for (const fn of d.functions) {
      if (fn.script === false) continue;
      const list = this.fns.get(fn.name);
      if (list) list.unshift({ fn, module: d.name });
      else this.fns.set(fn.name, [{ fn, module: d.name }]);
    }
    if (d.onReply) this.replyHandlers = [...this.replyHandlers, d.onReply];
    return entry;
  }

  /** PV classes, selects and RPCs go to their registries as soon as the module is loaded. */
  private registerExports(d: ModuleDescriptor): void {
    const pv = this.core.pv as unknown as Registrar;
    if (typeof pv.registerClass === 'function') for (const c of d.pvs) pv.registerClass(c);
    const sel = this.core.selects as unknown as Registrar;
    if (typeof sel.register === 'function') for (const s of d.selects) sel.register(s);
    for (const r of d.rpc) this.core.rpc.register(d.name, r);
  }
}
