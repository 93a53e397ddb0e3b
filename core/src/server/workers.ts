/**
 * Multi-process mode (children=N / -n N) on node:cluster. The primary forks N workers; each
 * runs the same command, loads the config itself and serves SIP on sockets the cluster shares.
 * A worker reports 'ready' or one fatal line; the primary waits for all before it reports ready,
 * and a worker dying later takes the whole server down (as kamailio does when a child dies).
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../log';

type WorkerMessage = { sipr: 'ready'; sockets: string[] } | { sipr: 'fatal'; message: string };

const RANK_ENV = 'SIPR_RANK';

export function isWorker(): boolean {
  return cluster.isWorker;
}

/** Rank of this worker (1..N). */
export function workerRank(): number {
  return Number(process.env[RANK_ENV] ?? '1');
}

/** Tell the primary this worker serves SIP on these sockets (their names). */
export function reportReady(sockets: string[]): void {
  process.send?.({ sipr: 'ready', sockets } satisfies WorkerMessage);
}

/** Tell the primary why this worker cannot start (it prints the line once); resolves once sent. */
export function reportFatal(message: string): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send({ sipr: 'fatal', message } satisfies WorkerMessage, undefined, {}, () => resolve());
  });
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private stopping = false;

  constructor(private readonly count: number, private readonly log: Logger) {}

  /**
   * Fork every worker; resolves with the sockets they serve once all are ready, rejects with the
   * first fatal line or exit. A worker dying after that is reported to onDied.
   */
  start(onDied: (why: string) => void): Promise<string[]> {
    return new Promise((resolve, reject) => {
      let ready = 0;
      let state: 'starting' | 'started' | 'failed' = 'starting';
      // the first failure decides; a worker lost after start-up is reported once to onDied
      const fail = (why: string) => {
        if (this.stopping) return;
        if (state === 'starting') {
          state = 'failed';
          reject(new Error(why));
        } else if (state === 'started') onDied(why);
      };
      for (let rank = 1; rank <= this.count; rank++) {
        const w = cluster.fork({ [RANK_ENV]: String(rank) });
        this.workers.push(w);
        w.on('message', (m: WorkerMessage) => {
          if (m?.sipr === 'fatal') fail(m.message);
          else if (m?.sipr === 'ready' && ++ready === this.count && state === 'starting') {
            state = 'started';
            resolve(m.sockets);
          }
        });
        w.on('exit', (code, signal) => {
          fail(`sipr: worker ${rank} (pid ${w.process.pid}) exited ${signal ? `on ${signal}` : `with code ${code}`}`);
        });
      }
    });
  }

  /** SIGTERM every worker and wait for it (SIGKILL after timeoutMs). */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      const t = setTimeout(() => {
        this.log.warn(`worker pid ${w.process.pid} did not stop in ${timeoutMs} ms, killing it`);
        w.process.kill('SIGKILL');
      }, timeoutMs);
      w.once('exit', () => { clearTimeout(t); resolve(); });
      w.process.kill('SIGTERM');
    })));
  }
}
