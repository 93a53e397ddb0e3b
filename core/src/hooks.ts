/**
 * The core's extension points. Declared once here, typed, and frozen on the Core instance:
 * modules and adapters tap them (`core.hooks.preScript.tap('mymod', fn)`); the core never
 * imports a module. Hot-path hooks are synchronous so a message needs no Promise.
 */
import { SyncHook, SyncBailHook, SyncWaterfallHook, AsyncSeriesHook, HookMap } from 'tapable';
import type { RunCtx } from './script/types';
import type { ReceiveInfo, Destination, SocketInfo } from './transport/types';
import type { ModuleDescriptor } from './modules/types';
import type { SourcePos } from './errors';

/** A stream connection as transport events report it. */
export interface ConnectionInfo {
  readonly id: number;
  readonly proto: string;
  readonly local: SocketInfo;
  readonly remoteIp: string;
  readonly remotePort: number;
}

/** What the loader hands an adapter: the module's own export and where it came from. */
export interface AdaptRequest {
  readonly name: string;
  readonly exported: unknown;
  readonly location: string;
  readonly pos?: SourcePos;
}

export function createHooks() {
  return Object.freeze({
    /** Raw bytes received, before parsing. Return the (possibly rewritten) buffer; null drops it. */
    netDataIn: new SyncWaterfallHook<[Buffer | null, ReceiveInfo]>(['data', 'rcv']),
    /** Raw bytes about to be sent. Return the (possibly rewritten) buffer; null drops it. */
    netDataOut: new SyncWaterfallHook<[Buffer | null, Destination]>(['data', 'dst']),
    /** A received message that could not be parsed (it is dropped, or answered 400 when readable). */
    parseError: new SyncHook<[Buffer, ReceiveInfo, unknown]>(['data', 'rcv', 'error']),
    /** Before a top-level route runs; return 0 to drop the message (script is not run). */
    preScript: new SyncBailHook<[RunCtx], number | void>(['ctx']),
    /** After a top-level route ran. */
    postScript: new SyncHook<[RunCtx]>(['ctx']),
    /** A request leaves through forward()/tm, after onsend_route; return false to drop it. */
    onSend: new SyncBailHook<[RunCtx], boolean | void>(['ctx']),
    /** Run event_route[name] blocks; modules call core.runEvent(), taps observe. */
    eventRoute: new SyncHook<[string, RunCtx]>(['name', 'ctx']),
    connectionOpened: new SyncHook<[ConnectionInfo]>(['conn']),
    connectionClosed: new SyncHook<[ConnectionInfo]>(['conn']),
    /** Adapters from a module shape to the descriptor, keyed by interface name ('kamailio', 'ser'). */
    adaptModule: new HookMap(() => new SyncBailHook<[AdaptRequest], ModuleDescriptor | void>(['req'])),
    /** Module lifecycle, in load order (destroy: newest first). */
    init: new AsyncSeriesHook<[]>([]),
    childInit: new AsyncSeriesHook<[number]>(['rank']),
    destroy: new AsyncSeriesHook<[]>([]),
  });
}

export type CoreHooks = ReturnType<typeof createHooks>;
