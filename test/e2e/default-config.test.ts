/**
 * `npm start` (examples/default.cfg) answers on the wire. Run through npm itself, with -l
 * appended so the test uses its own port (15280) instead of 5060.
 */
import { spawn } from 'node:child_process';
import { ROOT, SiprProcess } from './helpers/sipr';
import { runSipp } from './helpers/sipp';

const PORT = 15280;

describe('npm start (examples/default.cfg)', () => {
  let sipr: SiprProcess;
  beforeAll(async () => {
    const env = { ...process.env };
    delete env.JEST_WORKER_ID;
    // detached: npm, its shell and node form one process group, stopped together below
    const proc = spawn('npm', ['start', '--silent', '--', '-l', `udp:127.0.0.1:${PORT}`, '-l', `tcp:127.0.0.1:${PORT}`], {
      cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    sipr = new SiprProcess(proc);
    await sipr.waitFor(/^sipr .* ready/m, 15000);
  });
  afterAll(async () => {
    if (sipr?.running) {
      process.kill(-sipr.proc.pid!, 'SIGTERM');
      const t = setTimeout(() => process.kill(-sipr.proc.pid!, 'SIGKILL'), 5000);
      await sipr.exited;
      clearTimeout(t);
    }
  });

  test('listens where -l says, on UDP and TCP', () => {
    expect(sipr.stderr).toContain(`sipr: listening on udp:127.0.0.1:${PORT}\n`);
    expect(sipr.stderr).toContain(`sipr: listening on tcp:127.0.0.1:${PORT}\n`);
    expect(sipr.stderr).not.toContain(':5060');
  });

  test.each([
    ['OPTIONS -> 200 (UDP)', 'options-200.xml', 'u1', 15281],
    ['OPTIONS -> 200 (TCP)', 'options-200.xml', 't1', 15282],
    ['INVITE -> 404 (UDP)', 'invite-404.xml', 'u1', 15283],
    ['Max-Forwards: 0 -> 483 (UDP)', 'options-483.xml', 'u1', 15284],
  ] as const)('%s', async (_name, scenario, transport, localPort) => {
    const r = await runSipp({ scenario, transport, localPort, target: `127.0.0.1:${PORT}`, calls: 3 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
  });
});
