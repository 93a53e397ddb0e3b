/**
 * Harness for the differential tests: one config runs in Debian's kamailio 5.6 and in sipr on
 * loopback, the same requests go to each, and what each puts on the wire is compared once the
 * values that must differ (tags, branches, ports, ids) are masked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { startSipr, TempDir, type SiprProcess } from './sipr';

export const KAMAILIO = '/usr/sbin/kamailio';
export const KMODS = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
export const HAVE_KAMAILIO = existsSync(KAMAILIO) && existsSync(KMODS);

/** `describe` where kamailio is installed, else `describe.skip` with a warning naming the file. */
export function describeWithKamailio(file: string): jest.Describe {
  if (!HAVE_KAMAILIO) console.warn(`${file}: ${KAMAILIO} or ${KMODS} missing, differential tests skipped`);
  return HAVE_KAMAILIO ? describe : describe.skip;
}

/** kamailio forks its workers; they share its process group, so a signal to the group reaches them all. */
export class KamailioProcess {
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    proc.stderr?.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
  }

  /** Signal kamailio and every process it forked. */
  signal(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.proc.pid!, sig);
    } catch {
      // the group is gone already
    }
  }

  /** SIGTERM to kamailio (it stops its workers), SIGKILL after timeoutMs; then SIGKILL to any worker left. */
  async stop(timeoutMs = 3000): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(t);
    }
    this.signal('SIGKILL');
  }
}

/**
 * Start kamailio on cfgFile in its own process group: a kill reaches its workers too (killed
 * alone, the main process leaves them running).
 */
export function spawnKamailio(cfgFile: string, runDir: string, stderr: 'pipe' | 'ignore' = 'pipe'): KamailioProcess {
  // foreground, one worker, log to stderr
  const args = ['-f', cfgFile, '-DD', '-E', '-n', '1', '-L', KMODS, '-Y', runDir];
  return new KamailioProcess(spawn(KAMAILIO, args, { stdio: ['ignore', 'ignore', stderr], detached: true }));
}

/** The first datagram on sock (as latin1 text) that contains `match` or passes it, or null after ms. */
export function nextDatagram(sock: Socket, match: string | ((text: string) => boolean), ms: number): Promise<string | null> {
  const passes = typeof match === 'string' ? (t: string) => t.includes(match) : match;
  return new Promise((resolve) => {
    const timer = setTimeout(() => { sock.off('message', on); resolve(null); }, ms);
    const on = (m: Buffer) => {
      const text = m.toString('latin1');
      if (!passes(text)) return;
      clearTimeout(timer);
      sock.off('message', on);
      resolve(text);
    };
    sock.on('message', on);
  });
}

/** Send buf to 127.0.0.1:port; the first matching datagram on `on` (default: the sender), or null after ms. */
export function sendAndWait(sock: Socket, buf: Buffer, port: number, match: string | ((text: string) => boolean), ms: number, on = sock): Promise<string | null> {
  const got = nextDatagram(on, match, ms);
  sock.send(buf, port, '127.0.0.1');
  return got;
}

/** The text, or an error saying what did not arrive. */
export function arrived(text: string | null, what: string): string {
  if (text === null) throw new Error(`nothing arrived: ${what}`);
  return text;
}

/** sl's To-tag value (md5.counter) and kamailio's Server header masked in a reply. */
export const withoutSlTag = (t: string | null) => t && t.replace(/;tag=[0-9a-f]{32}\.[0-9a-f]+\r\n/, ';tag=<sl>\r\n').replace(/Server: [^\r]*\r\n/, '');

/** A forwarded request without the top Via, the one each proxy writes for itself. */
export const withoutTopVia = (t: string | null) => t && t.replace(/\r\nVia: [^\r]*/, '');

/** Every occurrence of each value replaced by its label. */
export function mask(text: string, pairs: [string | number, string][]): string {
  for (const [value, label] of pairs) text = text.split(String(value)).join(label);
  return text;
}

/** For values joined by '|' in both answers: the names of the pieces that differ, with both values. */
export function differingPieces(names: string[], kamailio: string, sipr: string): string[] {
  const kv = kamailio.split('|');
  const sv = sipr.split('|');
  return names.map((c, i) => (kv[i] !== sv[i] ? `${c}: kamailio ${JSON.stringify(kv[i])} sipr ${JSON.stringify(sv[i])}` : '')).filter(Boolean);
}

/**
 * kamailio and sipr each running a config from one temp directory, and the loopback sockets a
 * test binds; stop() (in afterAll) closes and ends all of them.
 */
export class KamailioDiff {
  readonly dir = new TempDir();
  kamailio?: KamailioProcess;
  sipr?: SiprProcess;
  private readonly closers: (() => void)[] = [];

  /** kamailio is not waited for (it prints no ready line): see untilKamailioAnswers. */
  async start(kamailioCfg: string | null, siprCfg: string): Promise<void> {
    if (kamailioCfg !== null) {
      this.kamailio = spawnKamailio(this.dir.write('k.cfg', kamailioCfg), this.dir.path);
    }
    this.sipr = await startSipr(['-f', this.dir.write('s.cfg', siprCfg), '-n', '1']);
  }

  /** Retries probe (truthy: kamailio answered; a throw counts as no answer) up to `attempts` times. */
  async untilKamailioAnswers(probe: (attempt: number) => Promise<unknown>, attempts: number): Promise<void> {
    for (let i = 0; i < attempts; i++) {
      try {
        if (await probe(i)) return;
      } catch {
        // not up yet
      }
    }
    throw new Error(`kamailio did not answer: ${this.kamailio?.stderr}`);
  }

  async udp(port: number): Promise<Socket> {
    const s = createSocket('udp4');
    this.closers.push(() => s.close());
    await new Promise<void>((r) => s.bind(port, '127.0.0.1', () => r()));
    return s;
  }

  /** Run fn at stop(), before the servers end. */
  onStop(fn: () => void): void {
    this.closers.push(fn);
  }

  async stop(): Promise<void> {
    for (const c of this.closers) c();
    await this.kamailio?.stop();
    await this.sipr?.stop();
    this.dir.remove();
  }
}
