/**
 * What the script engine hands to everything it calls. Owner: the config/script engine
 * (core/src/cfg, core/src/script).
 */
import type { SipMessage, Branch } from '../sip/types';
import type { Core } from '../core';

/** Route block types; a function's `allowed` mask says where it may be called. */
export const RouteType = {
  REQUEST: 1,
  FAILURE: 2,
  ONREPLY: 4,
  BRANCH: 8,
  ONSEND: 16,
  ERROR: 32,
  LOCAL: 64,
  EVENT: 128,
  ANY: 0xffff,
} as const;
export type RouteTypeName = Exclude<keyof typeof RouteType, 'ANY'>;

/** Result of one module function call: >0 true/success, <0 false/failure, 0 stop the script. */
export type FnResult = number;

/** Per-message (or per-transaction) attribute-value stores; owned by the pv layer. */
export interface AvpStores {
  avps: unknown;
  xavps: unknown;
}

/**
 * The context of one route run. A top-level run (request route, reply route, a tm failure route,
 * an event route) creates one; route(X) calls share it.
 */
export interface RunCtx {
  readonly core: Core;
  msg: SipMessage;
  /** Type of the route block that started this run. */
  routeType: number;
  /** `$rc` / `$?` / `$retcode` */
  rc: number;
  /** script flags ($sf), reset for every top-level run */
  sflags: number;
  /** additional branches (destination set), from append_branch() */
  branches: Branch[];
  /** AVP/XAVP lists of the message or transaction */
  stores: AvpStores;
  /** free slots for modules keyed by module name (e.g. tm keeps its current transaction) */
  readonly slots: Map<string, unknown>;
  /** onsend_route: the outgoing buffer and destination */
  send?: { buf: Buffer; dst: import('../transport/types').Destination };
  /** engine state: RunFlag bits raised by drop/exit/return/break (see script/flags.ts) */
  runFlags?: number;
  /** engine state: current route(X) nesting */
  depth?: number;
}

/** Kinds of route blocks. */
export type RouteKind = 'request' | 'failure' | 'onreply' | 'branch' | 'onsend' | 'event';

/** A compiled route block: synchronous unless something in it may be async. */
export type CompiledRoute = (ctx: RunCtx) => number | Promise<number>;

/**
 * The compiled config as other layers see it. Owner: config/script engine.
 * Names: the unnamed block is 'main' (`route{}`, `onreply_route{}`, `onsend_route{}`);
 * `route[1]` is '1'; event routes use their full name 'htable:mod-init'.
 */
export interface ScriptApi {
  /** The compiled block, or undefined when the config has none of that kind/name. */
  route(kind: RouteKind, name: string): CompiledRoute | undefined;
  /** Whether a route of that kind and name exists (fixups of t_on_failure etc. check this). */
  has(kind: RouteKind, name: string): boolean;
  /** Whether the block (or a route it calls) may return a Promise. */
  isAsync(kind: RouteKind, name: string): boolean;
}
