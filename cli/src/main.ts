/**
 * The `sipr` command: parse flags, load the config into a Core (with the compat adapters), then
 * check, print, or serve SIP in one process or in N workers.
 */
import { Core, CORE_VERSION, LogLevel, Logger, Server, catchUncaught, WorkerPool, isWorker, workerRank, reportReady, reportFatal, loadConfig, preprocessConfig } from '@sipr/core';
import { apply as applyCompat } from '@sipr/compat';
import { resolve } from 'node:path';
import { parseArgs, UsageError, USAGE, type CliOptions } from './args';
import { errorLines } from './report';

const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');

export async function main(argv: string[]): Promise<void> {
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`sipr: ${e.message} (sipr -h for help)`);
    process.exitCode = 1;
    return;
  }
  if (o.help) return void out(USAGE);
  if (o.version) return void out(`sipr ${CORE_VERSION} (node ${process.version})\n`);
  if (!o.cfgFile) {
    err('sipr: no config file given (use -f FILE)');
    process.exitCode = 1;
    return;
  }
  try {
    await run(o, o.cfgFile);
  } catch (e) {
    // a worker's error is printed once, by the primary
    if (isWorker()) await reportFatal(errorLines(e, o.debug > 0).join('\n'));
    else for (const line of errorLines(e, o.debug > 0)) err(line);
    // sockets, timers or workers may still be open: do not wait for them
    process.exit(1);
  }
}

async function run(o: CliOptions, file: string): Promise<void> {
  if (o.cfgPrint) return void out(preprocessConfig(file, defineRecord(o)));
  if (o.check) {
    const core = await load(o, file, true);
    new Server(core, { listen: o.listen }).listenSpecs();
    return void err(`${file}: config file ok, exiting...`);
  }
  // Config warnings are printed once: by the single process, or by worker 1.
  if (isWorker()) return serve(await load(o, file, false, workerRank() !== 1), o, workerRank());
  // How many workers: -n, else the config's children (read by a quiet check-only load), else 1;
  // fork=no keeps one process, as kamailio does.
  const count = o.children ?? workersOf(await load(o, file, true, true));
  if (count > 1) return startPool(new Logger(LogLevel.WARN + o.debug), count);
  await serve(await load(o, file, false, false), o, 1);
}

/**
 * A Core with the compat adapters and the config loaded (checkOnly: parsed and fixed up, no
 * module init). `quiet` silences what loading logs; errors are still thrown.
 */
async function load(o: CliOptions, file: string, checkOnly: boolean, quiet = false): Promise<Core> {
  // muted through the sink: the config's `debug=` sets the level while it is read
  let muted = quiet;
  const core = new Core({ log: new Logger(LogLevel.WARN + o.debug, '', (line) => { if (!muted) err(line); }) });
  applyCompat(core);
  // -L paths are relative to where the command runs (loadpath in a config: to the config)
  if (o.modulePaths.length) core.modules.addLoadPath(o.modulePaths.map((d) => resolve(d)));
  await loadConfig(core, file, { defines: defineRecord(o), checkOnly });
  muted = false;
  core.log.level = Math.min(LogLevel.DBG, numberGlobal(core, 'debug', LogLevel.WARN) + o.debug);
  return core;
}

async function serve(core: Core, o: CliOptions, rank: number): Promise<void> {
  const server = new Server(core, { listen: o.listen });
  await server.start(rank);
  const names = server.transports!.sockets.map((s) => s.name);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(() => process.exit(0), (e) => { for (const l of errorLines(e, o.debug > 0)) err(l); process.exit(1); });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // only once serving: start-up errors above still end the process
  catchUncaught(core);
  if (isWorker()) {
    process.on('disconnect', stop);
    reportReady(names);
    return;
  }
  for (const n of names) err(`sipr: listening on ${n}`);
  err(`sipr ${CORE_VERSION} ready (pid ${process.pid}, 1 process)`);
}

async function startPool(log: Logger, count: number): Promise<void> {
  const pool = new WorkerPool(count, log);
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    pool.stop().then(() => process.exit(code), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  let sockets: string[];
  try {
    sockets = await pool.start((why) => {
      err(`${why}, shutting down`);
      stop(1);
    });
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    await pool.stop();
    process.exit(1);
  }
  for (const n of sockets) err(`sipr: listening on ${n}`);
  err(`sipr ${CORE_VERSION} ready (pid ${process.pid}, ${count} workers)`);
}

function workersOf(core: Core): number {
  return core.globals.get('fork') === false ? 1 : numberGlobal(core, 'children', 1);
}

function numberGlobal(core: Core, name: string, dflt: number): number {
  const v = core.globals.get(name);
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : dflt;
}

/** -A NAME (no value) defines NAME as true, as #!define NAME does. */
function defineRecord(o: CliOptions): Record<string, string | true> {
  const r: Record<string, string | true> = {};
  for (const [k, v] of o.defines) r[k] = v ?? true;
  return r;
}
