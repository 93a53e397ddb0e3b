/**
 * A test harness for modules: a Core with the shape adapters, a sender that records what would go
 * on the wire, the modules under test loaded and initialised, and helpers to parse a crafted
 * message and call a module function on it exactly as a config would (lookup by name, arity and
 * route type, fixups, then the call).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Core, Logger, LogLevel, MessagePath, RouteType, SiprError, ErrorCode, createRunCtx, loadConfig, parseMessage,
  type Destination, type ReceiveInfo, type RunCtx, type ScriptParam, type SipMessage, type SocketInfo, type SourcePos,
} from '@sipr/core';
import { apply as applyCompat } from '@sipr/compat';

export interface SentPacket {
  dst: Destination;
  buf: Buffer;
}

export interface HarnessOptions {
  /** loadmodule specs, in order */
  modules?: string[];
  /** modparam(module, name, value) lines */
  params?: [module: string, name: string, value: string | number][];
  loadPath?: string[];
  /** the config file name used for positions and relative resolution */
  cfgFile?: string;
  /** log threshold (default: errors only); lines are collected in harness.logs */
  debug?: number;
  /** the local socket requests arrive on (default udp:127.0.0.1:5060) */
  socket?: SocketInfo;
}

export interface ConfigOptions extends Omit<HarnessOptions, 'modules' | 'params' | 'cfgFile'> {
  /** `-A NAME[=VALUE]` defines */
  defines?: Record<string, string | true>;
  /** directory to write the config into (module paths and npm names resolve from there); default a temp dir */
  dir?: string;
}

/** Where a crafted message comes from. */
export interface From {
  ip?: string;
  port?: number;
}

export interface CallResult {
  rc: number;
  ctx: RunCtx;
}

export class ModuleHarness {
  readonly core: Core;
  readonly sent: SentPacket[] = [];
  readonly logs: string[] = [];
  readonly socket: SocketInfo;
  private readonly cfgFile: string;
  private line = 0;
  private path: MessagePath | null = null;

  private constructor(opts: HarnessOptions) {
    this.core = new Core({ log: new Logger(opts.debug ?? LogLevel.ERR, '', (l) => this.logs.push(l)) });
    this.socket = opts.socket ?? { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' };
    this.cfgFile = opts.cfgFile ?? `${process.cwd()}/harness.cfg`;
    applyCompat(this.core);
    this.core.sender = {
      send: (dst, buf) => { this.sent.push({ dst, buf }); return true; },
      socketFor: () => this.socket,
    };
  }

  /** Load, configure and initialise the modules (mod_init, then child_init of worker 1). */
  static async create(opts: HarnessOptions = {}): Promise<ModuleHarness> {
    const h = new ModuleHarness(opts);
    if (opts.loadPath) h.core.modules.addLoadPath(opts.loadPath);
    for (const m of opts.modules ?? []) h.core.modules.load(m, h.pos());
    for (const [m, name, value] of opts.params ?? []) h.core.modules.setParam(m, name, value, h.pos());
    await h.core.modules.initAll();
    await h.core.modules.childInitAll(1);
    return h;
  }

  /**
   * A core started from a config text, as `sipr -f` would (modules loaded and initialised, routes
   * compiled, child_init of worker 1); messages are then fed to it with receive().
   */
  static async fromConfig(cfg: string, opts: ConfigOptions = {}): Promise<ModuleHarness> {
    const tempDir = opts.dir ? null : mkdtempSync(join(tmpdir(), 'sipr-harness-'));
    const file = join(opts.dir ?? tempDir!, 'harness.cfg');
    writeFileSync(file, cfg);
    const h = new ModuleHarness({ ...opts, cfgFile: file });
    if (opts.loadPath) h.core.modules.addLoadPath(opts.loadPath);
    try {
      await loadConfig(h.core, file, { defines: opts.defines });
    } finally {
      // the file is read (and modules resolved from its directory) only while loading
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
    await h.core.modules.childInitAll(1);
    h.path = new MessagePath(h.core);
    return h;
  }

  /**
   * Feed raw bytes to the server's message path (netDataIn, parse, preScript, route, postScript,
   * reply handling); returns what was sent because of them. Routes that went async may send later.
   */
  receive(raw: string | Buffer, from: From = {}): SentPacket[] {
    if (!this.path) throw new Error('receive() needs a harness made with fromConfig()');
    const before = this.sent.length;
    this.path.receive(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw, this.rcv(from));
    return this.sent.slice(before);
  }

  /** Parse a crafted message as if it arrived on the harness socket (from 127.0.0.1:5070 by default). */
  message(raw: string | Buffer, from: From = {}): SipMessage {
    return parseMessage(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw, this.rcv(from));
  }

  /** A fresh run context for one top-level route run on msg. */
  context(msg: SipMessage, routeType: number = RouteType.REQUEST): RunCtx {
    return createRunCtx(this.core, msg, routeType);
  }

  /**
   * Call a script function on msg (or on an existing context) the way the config does: resolve by
   * name/arity/route type, run its fixup on the literal params, call it. Fixups run on every call
   * here, which is what a test wants and what a config does once per call site.
   */
  call(name: string, args: (string | number)[], target: SipMessage | RunCtx, routeType: number = RouteType.REQUEST): CallResult {
    const { ctx, run } = this.prepare(name, args, target, routeType);
    const rc = run();
    if (typeof rc !== 'number') throw new Error(`${name} returned a Promise; use callAsync`);
    ctx.rc = rc;
    return { rc, ctx };
  }

  /** call() for functions that may return a Promise. */
  async callAsync(name: string, args: (string | number)[], target: SipMessage | RunCtx, routeType: number = RouteType.REQUEST): Promise<CallResult> {
    const { ctx, run } = this.prepare(name, args, target, routeType);
    ctx.rc = await run();
    return { rc: ctx.rc, ctx };
  }

  private prepare(name: string, args: (string | number)[], target: SipMessage | RunCtx, routeType: number) {
    const ctx = 'core' in target && 'msg' in target ? target : this.context(target, routeType);
    const pos = this.pos();
    const found = this.core.modules.findFunction(name, args.length, ctx.routeType);
    if ('error' in found) {
      const why = found.error === 'route' ? 'cannot be used in this route type' : 'unknown command, missing loadmodule?';
      throw new SiprError(ErrorCode.UNKNOWN_FUNCTION, `${name}/${args.length}: ${why}`, pos);
    }
    const params: ScriptParam[] = args.map((value) => ({ value, pos }));
    let fixed: unknown[] = args;
    if (found.fn.fixup) {
      try {
        fixed = found.fn.fixup(params, { core: this.core, fn: name, routeType: ctx.routeType, pos, params });
      } catch (e) {
        // worded as the config engine reports it
        throw new SiprError(ErrorCode.FIXUP, `${name}(): ${(e as Error).message}`, (e as SiprError).pos ?? pos);
      }
    }
    return { ctx, run: () => found.fn.impl(ctx, ...fixed) };
  }

  /** The packets sent so far as latin1 text (replies and requests are text on the wire). */
  sentText(): string[] {
    return this.sent.map((p) => p.buf.toString('latin1'));
  }

  async destroy(): Promise<void> {
    await this.core.modules.destroyAll();
  }

  private rcv(from: From): ReceiveInfo {
    const s = this.socket;
    return { srcIp: from.ip ?? '127.0.0.1', srcPort: from.port ?? 5070, dstIp: s.address, dstPort: s.port, proto: s.proto, af: s.af, socket: s };
  }

  private pos(): SourcePos {
    return { file: this.cfgFile, line: ++this.line, column: 1 };
  }
}
