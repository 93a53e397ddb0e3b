/**
 * t_suspend resumed by a timer: the server runs in this process (real sockets, config loaded as
 * `sipr` does) so a timer of the test can call the tm.list and tm.t_continue RPCs through the
 * core's RPC registry, as a management transport would. SIPp is the caller and the callee.
 * Ports 16300-16349.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core, Logger, LogLevel, Server, loadConfig } from '@sipr/core';
import { apply as applyCompat } from '@sipr/compat';
import { runSipp } from './helpers/sipp';

const PORT = 16300;
const CALLEE = 16301;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
loadmodule "sl"
loadmodule "pv"
loadmodule "tm"
loadmodule "siputils"
modparam("tm", "fr_inv_timer", 3)
modparam("tm", "wt_timer", 1)

request_route {
	t_check_trans();
	if (has_totag()) {
		$du = "sip:127.0.0.1:${CALLEE}";
		t_relay();
		exit;
	}
	if ($rU == "park") {
		if (!t_suspend()) sl_reply_error();
		exit;
	}
	sl_send_reply("404", "Not Here");
}

route[RESUME] {
	$du = "sip:127.0.0.1:${CALLEE}";
	t_relay();
}
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Listed { index: number; label: number; method: string; status: number }

describe('tm: t_suspend resumed by a timer through the RPC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipr-tm-suspend-'));
  const logs: string[] = [];
  let core: Core;
  let server: Server;

  beforeAll(async () => {
    const file = join(dir, 'suspend.cfg');
    writeFileSync(file, CFG);
    core = new Core({ log: new Logger(LogLevel.WARN, '', (l) => logs.push(l)) });
    applyCompat(core);
    await loadConfig(core, file);
    server = new Server(core);
    await server.start(1);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = async (): Promise<Listed[]> => {
    const r = await core.rpc.invoke('tm.list', []);
    expect(r.ok).toBe(true);
    return r.values as Listed[];
  };

  test('parked INVITE: no branch until the timer resumes it in route[RESUME]; then the whole call goes through', async () => {
    const callee = runSipp({ scenario: 'tm-uas-call.xml', target: `127.0.0.1:${PORT}`, localPort: CALLEE, calls: 1, timeoutS: 15 });
    await sleep(300);
    const t0 = Date.now();
    const caller = runSipp({ scenario: 'tm-uac-call.xml', service: 'park', target: `127.0.0.1:${PORT}`, localPort: 16302, calls: 1, timeoutS: 15 });
    const resumed = new Promise<{ parked: Listed[]; reply: unknown }>((resolve, reject) => {
      setTimeout(() => {
        list().then(async (parked) => {
          const inv = parked.find((t) => t.method === 'INVITE');
          const reply = inv ? await core.rpc.invoke('tm.t_continue', [inv.index, inv.label, 'RESUME']) : null;
          resolve({ parked, reply });
        }, reject);
      }, 1000);
    });
    const { parked, reply } = await resumed;
    // while parked: one INVITE transaction, only the automatic 100 sent upstream
    expect(parked.map((t) => [t.method, t.status])).toEqual([['INVITE', 100]]);
    expect(reply).toEqual({ ok: true, values: ['ok'] });
    const [uac, uas] = [await caller, await callee];
    expect(uac.errors).toBe('');
    expect(uas.errors).toBe('');
    expect([uac.code, uas.code]).toEqual([0, 0]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    const again = await core.rpc.invoke('tm.t_continue', [parked[0].index, parked[0].label, 'RESUME']);
    expect(again.fault).toEqual({ code: 481, message: 'no such parked transaction' });
  }, 30000);

  test('never resumed: the parked INVITE ends with 408 after fr_inv_timer (3 s)', async () => {
    const t0 = Date.now();
    const uac = await runSipp({ scenario: 'tm-uac-408.xml', service: 'park', target: `127.0.0.1:${PORT}`, localPort: 16303, calls: 1, timeoutS: 10 });
    expect(uac.errors).toBe('');
    expect(uac.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3000);
  }, 20000);

  test('the table is empty once wt_timer passed', async () => {
    await sleep(1500);
    expect(await list()).toEqual([]);
    expect(logs.filter((l) => /ERROR|BUG/.test(l))).toEqual([]);
  }, 10000);
});
