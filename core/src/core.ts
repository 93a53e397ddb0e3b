/**
 * The runtime object everything hangs off: hooks, logger, registries and the running script.
 * One Core per process. Modules receive it in register/init and keep what they need.
 */
import { createHooks, type CoreHooks } from './hooks';
import { Logger, LogLevel } from './log';
import { CORE_VERSION } from './version';
import { ModuleRegistry } from './modules/registry';
import { PvRegistry } from './pv/registry';
import { SelectRegistry } from './select/registry';
import { RpcRegistry } from './rpc/registry';
import { TimerWheel } from './timer/wheel';
import type { Clock } from './timer/clock';
import type { Sender } from './transport/types';
import type { ScriptApi } from './script/types';

/** Kamailio's compatibility modes (#!KAMAILIO, #!SER, #!ALL). */
export type CompatMode = 'kamailio' | 'ser' | 'all';

export interface CoreOptions {
  /** log threshold (debug=) */
  debug?: number;
  log?: Logger;
  /** Time source of core.timer (tests pass a FakeClock). */
  clock?: Clock;
}

export class Core {
  readonly version = CORE_VERSION;
  readonly hooks: CoreHooks = createHooks();
  readonly log: Logger;
  /** Core global parameters as set by the config (`children`, `listen`, `debug`, ...). */
  readonly globals = new Map<string, unknown>();
  readonly modules: ModuleRegistry;
  readonly pv: PvRegistry;
  readonly selects: SelectRegistry;
  readonly rpc: RpcRegistry;
  readonly timer: TimerWheel;
  /** The compiled config; set once the config is loaded. */
  script: ScriptApi | null = null;
  /** Set by the transport layer once sockets are open. */
  sender: Sender | null = null;
  /**
   * Errors caught instead of ending the process: module functions that threw or rejected,
   * messages whose handling threw, errors no code caught (timers, callbacks).
   */
  readonly failures = { function: 0, message: 0, uncaught: 0 };
  /** Mode in force at the end of the config (per-line modes live in the parsed config). */
  compatMode: CompatMode = 'all';
  /** Worker rank in this process: 0 main, 1..N SIP workers. */
  rank = 0;

  constructor(opts: CoreOptions = {}) {
    this.log = opts.log ?? new Logger(opts.debug ?? LogLevel.WARN);
    this.modules = new ModuleRegistry(this);
    this.pv = new PvRegistry(this);
    this.selects = new SelectRegistry(this);
    this.rpc = new RpcRegistry(this);
    this.timer = new TimerWheel({
      clock: opts.clock,
      onError: (e) => this.log.error(`timer handler failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`),
    });
  }
}
