/** Run the real SIPp (Debian's sip-tester) with a scenario from test/e2e/scenarios. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SCENARIOS = resolve(__dirname, '../scenarios');

export interface SippOptions {
  /** a file in test/e2e/scenarios, or `uac`/`uas` for SIPp's built-in scenario (-sn) */
  scenario: string;
  /** target host:port (a uas has none) */
  target?: string;
  /** u1 = UDP, t1 = TCP (one socket for all calls) */
  transport?: 'u1' | 't1';
  /** the [service] keyword: user part of the Request-URI */
  service?: string;
  /** calls to make (-m) */
  calls?: number;
  localPort: number;
  /** local address (-i), default 127.0.0.1; ::1 for IPv6 */
  localIp?: string;
  /** per-call and global limit, seconds */
  timeoutS?: number;
  /** calls per second (-r) */
  rate?: number;
}

export interface SippResult {
  /** 0: every call succeeded; 1: some failed; others: SIPp could not run */
  code: number | null;
  /** contents of the -trace_err file: every unexpected message and failed check */
  errors: string;
  stdout: string;
}

/** Run SIPp to the end (-m calls done, or the timeout). */
export function runSipp(o: SippOptions): Promise<SippResult> {
  return startSipp(o).done;
}

/**
 * Start SIPp; `done` resolves when it exits (kill() ends a uas that waits for more calls).
 * A uas run with `calls` exits by itself after that many calls.
 */
export function startSipp(o: SippOptions): { done: Promise<SippResult>; kill: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sipr-sipp-'));
  const errFile = join(dir, 'errors.log');
  const timeoutS = o.timeoutS ?? 10;
  const builtin = o.scenario === 'uac' || o.scenario === 'uas';
  const args = [
    ...(o.target ? [o.target] : []), ...(builtin ? ['-sn', o.scenario] : ['-sf', join(SCENARIOS, o.scenario)]), '-t', o.transport ?? 'u1',
    '-s', o.service ?? 'sipr', '-m', String(o.calls ?? 1), '-r', String(o.rate ?? 10),
    '-i', o.localIp ?? '127.0.0.1', '-p', String(o.localPort),
    '-timeout', `${timeoutS}s`, '-timeout_error', '-recv_timeout', `${timeoutS * 1000}`,
    '-trace_err', '-error_file', errFile, '-nostdin',
  ];
  const p = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<SippResult>((resolveRun) => {
    let stdout = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stdout += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), (timeoutS + 5) * 1000);
    p.on('error', (e) => { stdout += String(e); });
    p.on('close', (code) => {
      clearTimeout(timer);
      const errors = existsSync(errFile) ? readFileSync(errFile, 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      resolveRun({ code, errors, stdout });
    });
  });
  return { done, kill: () => { if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL'); } };
}
