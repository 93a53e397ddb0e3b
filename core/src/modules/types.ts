/**
 * The one internal module descriptor the core works with. compat/ adapts the kamailio-style and
 * ser-style module shapes into it; the core never looks at a module's own shape.
 * Owner: module platform (core/src/modules).
 */
import type { RunCtx, FnResult } from '../script/types';
import type { Core } from '../core';
import type { SourcePos } from '../errors';
import type { PvClassDef } from '../pv/types';
import type { CompatMode } from '../core';

/** A literal parameter as written in the script, before its fixup. */
export interface ScriptParam {
  /** The text of a string literal, or the number as written. */
  readonly value: string | number;
  readonly pos: SourcePos;
}

/** Where a function call sits, handed to fixups for errors and lookups. */
export interface FixupSite {
  readonly core: Core;
  readonly fn: string;
  readonly routeType: number;
  readonly pos: SourcePos;
  /** All params of the call (a fixup may look at its siblings). */
  readonly params: readonly ScriptParam[];
  /** #!KAMAILIO / #!SER / #!ALL mode in force at the call (fixup_var_* skips PVs in 'ser'); default core.compatMode. */
  readonly compatMode?: CompatMode;
}

export interface ModuleFunction {
  readonly name: string;
  /** number of script parameters, or 'var' for variadic */
  readonly arity: number | 'var';
  /** bitmask of RouteType where the function may be called */
  readonly allowed: number;
  /**
   * Runs once per call site at start (after every module's init): turn literal params into what
   * impl receives (numbers, compiled regexes, PV specs, formats, route indexes...). Throw a
   * SiprError to refuse the config; its message is shown with the call's file:line:column.
   */
  readonly fixup?: (params: readonly ScriptParam[], site: FixupSite) => unknown[];
  /** The function. Must be synchronous unless `async` is set. */
  readonly impl: (ctx: RunCtx, ...params: any[]) => FnResult | Promise<FnResult>;
  /** May return a Promise: routes calling it (transitively) compile to async functions. */
  readonly async?: boolean;
  /** false: not callable from the script, only through Core.modules.findExport (API export) */
  readonly script?: boolean;
}

export type ParamType = 'int' | 'str';

export interface ModuleParam {
  readonly name: string;
  readonly type: ParamType;
  /** Store the value; throw SiprError for a value out of range. Called once per modparam line. */
  readonly set: (value: number | string) => void;
}

export interface RpcContext {
  /** Positional parameters as sent by the client. */
  readonly params: readonly unknown[];
  /** Append a value to the reply. */
  add(value: unknown): void;
  /** Fail with a code (e.g. 400, 500) and message; sent to the client as a fault. */
  fault(code: number, message: string): void;
}

export interface RpcExport {
  readonly name: string;
  readonly doc: string;
  readonly handler: (ctx: RpcContext) => void | Promise<void>;
}

export interface StatExport {
  readonly name: string;
  readonly noReset?: boolean;
  /** computed statistic */
  readonly get?: () => number;
  /** set a counter back to 0 (absent for computed and no-reset statistics) */
  readonly reset?: () => void;
}

export interface MiExport {
  readonly name: string;
  readonly handler: (args: string[]) => unknown | Promise<unknown>;
}

export interface SelectExport {
  /** path of names, e.g. ['cfg_get'] or ['tm', 'branch'] */
  readonly path: readonly string[];
  readonly handler: (ctx: RunCtx, rest: readonly (string | number)[]) => string | null;
}

export interface ModuleDescriptor {
  readonly name: string;
  readonly version: string;
  /** The shape the module was written in. */
  readonly interface: 'kamailio' | 'ser' | 'native';
  readonly functions: readonly ModuleFunction[];
  readonly params: readonly ModuleParam[];
  readonly rpc: readonly RpcExport[];
  readonly pvs: readonly PvClassDef[];
  readonly selects: readonly SelectExport[];
  readonly stats: readonly StatExport[];
  readonly mi: readonly MiExport[];
  /** Right after load, before modparams: tap hooks, register transformations, services. */
  readonly register?: (core: Core) => void;
  /** After the config is parsed, in load order. */
  readonly init?: (core: Core) => void | Promise<void>;
  /** In each worker process; rank 0 is the main process, 1..N the SIP workers. */
  readonly childInit?: (rank: number, core: Core) => void | Promise<void>;
  /** At shutdown, newest module first. */
  readonly destroy?: (core: Core) => void | Promise<void>;
  /** For every received reply before stateless forwarding; return 0 to consume it. */
  readonly onReply?: (ctx: RunCtx) => number;
  /**
   * Typed services other modules bind to (Kamailio's load_<mod>_api / find_export), found with
   * core.modules.findExport(module, name); functions with `script: false` are found there too.
   */
  readonly api?: Readonly<Record<string, unknown>>;
}

/** The `sipr` field of a module package's package.json (validated by modules/manifest.ts). */
export interface ModuleManifest {
  /** module name as used by loadmodule/modparam and in messages */
  readonly name: string;
  /** shape of the module's export; 'native' exports a ModuleDescriptor as is */
  readonly interface: 'kamailio' | 'ser' | 'native';
  /** semver range of @sipr/core the module works with */
  readonly core: string;
  /** entry file relative to the package folder, e.g. dist/index.js */
  readonly entry: string;
  /** TypeScript entry loaded instead of `entry` when the registry prefers sources (jest) */
  readonly source?: string;
  readonly description?: string;
}

/** What the loader records about a loaded module. */
export interface LoadedModule {
  readonly descriptor: ModuleDescriptor;
  /** Directory or package the module was loaded from ('<builtin>' for registerDescriptor). */
  readonly location: string;
  readonly pos?: SourcePos;
  /** the package manifest, when loaded from a package */
  readonly manifest?: ModuleManifest;
}
