/**
 * @sipr/sdk: what a module author imports. The shapes, constants and fixups come from
 * @sipr/compat; the types from @sipr/core.
 */
export * from '@sipr/compat';
export type {
  Core, RunCtx, FnResult, SipMessage, ModuleDescriptor, ModuleFunction, ModuleParam, FixupSite, ScriptParam,
  RpcContext, RpcExport, StatExport, MiExport, SelectExport, PvClassDef, PvSpec, PvFormat, PvValue,
} from '@sipr/core';
export { RouteType, SiprError, ErrorCode, LogLevel } from '@sipr/core';
export { ModuleHarness } from './harness';
export type { HarnessOptions, ConfigOptions, From, SentPacket, CallResult } from './harness';
export { buildCatalogue, formatCatalogue } from './catalogue';
export type { Catalogue, CatalogueEntry } from './catalogue';
export { scaffoldModule } from './scaffold';
export type { ScaffoldOptions } from './scaffold';
export { runCli } from './cli';
