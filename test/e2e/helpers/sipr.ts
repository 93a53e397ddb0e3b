/**
 * Start the real `sipr` command (cli/bin/sipr.js, built by scripts/build.mjs) as a child process
 * and wait until it says it is ready; collect its stderr for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');

/** Whether this machine has the IPv6 loopback (containers often have IPv6 disabled). */
export const HAS_IPV6 = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === '::1'));
export const SIPR_BIN = join(ROOT, 'cli/bin/sipr.js');

/** The child runs built code like a user's install: without jest's marker it loads modules' dist/. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.JEST_WORKER_ID;
  return env;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run sipr to completion (e.g. `-c`), killed after timeoutMs. */
export function runSipr(args: string[], timeoutMs = 15000, cwd = ROOT): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const p = spawn(process.execPath, [SIPR_BIN, ...args], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}

/** A temp directory holding config files for one test file; remove() in afterAll. */
export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'sipr-e2e-'));
  /** Write a file (parent folders created); returns its path. */
  write(name: string, text: string): string {
    const p = join(this.path, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export class SiprProcess {
  stderr = '';
  stdout = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly proc: ChildProcess) {
    proc.stdout!.on('data', (d) => { this.stdout += d; });
    proc.stderr!.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolve once stderr matches, reject when the process exits first or after timeoutMs. */
  waitFor(re: RegExp, timeoutMs = 10000): Promise<RegExpMatchArray> {
    return new Promise((resolveWait, reject) => {
      const check = () => {
        const m = this.stderr.match(re);
        if (m) { done(); resolveWait(m); }
      };
      const onExit = () => { done(); reject(new Error(`sipr exited before ${re}:\n${this.stderr}`)); };
      const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${re}:\n${this.stderr}`)); }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.proc.stderr!.off('data', check);
        this.proc.off('exit', onExit);
      };
      this.proc.stderr!.on('data', check);
      this.proc.once('exit', onExit);
      check();
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited within timeoutMs. */
  async stop(timeoutMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
      const r = await this.exited;
      clearTimeout(t);
      return r;
    }
    return this.exited;
  }
}

/** Start sipr with these arguments and wait for its ready line. */
export async function startSipr(args: string[], timeoutMs = 10000): Promise<SiprProcess> {
  const proc = spawn(process.execPath, [SIPR_BIN, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const s = new SiprProcess(proc);
  try {
    await s.waitFor(/^sipr .* ready/m, timeoutMs);
  } catch (e) {
    await s.stop();
    throw e;
  }
  return s;
}
