/**
 * Stateful proxying with tm (and rr for the record-routed call), checked by the real SIPp on both
 * sides (and a scripted UDP callee where SIPp cannot show what matters: retransmission timing).
 * The call, record-route, 408, CANCEL and serial-forking scenario pairs pass against kamailio 5.6
 * with the same routing logic too. Ports 16000-16199.
 */
import { createSocket, type Socket } from 'node:dgram';
import { ask as askUdp, inUseTransactions } from './helpers/ask';
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp, type SippResult } from './helpers/sipp';

const PORT = 16000;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
listen=tcp:127.0.0.1:${PORT}
loadmodule "sl"
loadmodule "pv"
loadmodule "tm"
loadmodule "tmx"
loadmodule "rr"
loadmodule "siputils"
# #!KAMAILIO: small values are seconds
modparam("tm", "fr_timer", 2)
modparam("tm", "wt_timer", 1)

request_route {
	if ($rU == "stats") {
		sl_send_reply("200", "inuse=$stat(inuse_transactions)");
		exit;
	}
	if (method == "CANCEL") {
		if (t_check_trans()) t_relay();
		exit;
	}
	t_check_trans();
	if (has_totag() && loose_route()) {
		t_relay();
		exit;
	}
	if ($rU == "park") {
		if (has_totag()) {
			$du = "sip:127.0.0.1:16061";
			t_relay();
			exit;
		}
		t_suspend();
		$shv(idx) = $T(id_index);
		$shv(lbl) = $T(id_label);
		exit;
	}
	if ($rU == "resume") {
		if (t_continue("$shv(idx)", "$shv(lbl)", "RESUME")) sl_send_reply("200", "resumed");
		else sl_send_reply("404", "nothing parked");
		exit;
	}
	if ($rU == "rr") {
		record_route();
		$du = "sip:127.0.0.1:16012";
	} else if ($rU == "call") {
		$du = "sip:127.0.0.1:16011";
	} else if ($rU == "tcpcallee") {
		if (!t_relay_to_tcp("127.0.0.1", "16013")) sl_reply_error();
		exit;
	} else if ($rU == "noanswer") {
		$du = "sip:127.0.0.1:16021";
	} else if ($rU == "cancel") {
		$du = "sip:127.0.0.1:16031";
	} else if ($rU == "serial") {
		if (method == "INVITE") {
			$du = "sip:127.0.0.1:16041";
			t_on_failure("NEXT");
		} else {
			$du = "sip:127.0.0.1:16042";
		}
	} else if ($rU == "retrans") {
		$du = "sip:127.0.0.1:16051";
	} else {
		sl_send_reply("404", "Not Found");
		exit;
	}
	if (!t_relay()) sl_reply_error();
}

route[RESUME] {
	$du = "sip:127.0.0.1:16061";
	t_relay();
}

failure_route[NEXT] {
	if (t_is_canceled()) exit;
	if (t_check_status("503")) {
		$du = "sip:127.0.0.1:16042";
		t_relay();
	}
}
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A SIPp callee on `port`, started before the caller and awaited after it. */
async function withCallee(scenario: string, port: number, calls: number, caller: () => Promise<SippResult>): Promise<[SippResult, SippResult]> {
  const callee = runSipp({ scenario, target: `127.0.0.1:${PORT}`, localPort: port, calls, timeoutS: 15 });
  await sleep(300);
  const uac = await caller();
  return [uac, await callee];
}

const ask = (method: string, user: string) => askUdp(PORT, 16190, method, user);
const inUse = () => inUseTransactions(PORT, 16190);

describe('tm: stateful calls with SIPp', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('tm.cfg', CFG), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('UDP call: INVITE, 100, 180, 200, ACK, BYE, 200 through the proxy', async () => {
    const [uac, uas] = await withCallee('tm-uas-call.xml', 16011, 5, () =>
      runSipp({ scenario: 'tm-uac-call.xml', service: 'call', target: `127.0.0.1:${PORT}`, localPort: 16101, calls: 5, timeoutS: 15 }));
    expect(uac.errors).toBe('');
    expect(uas.errors).toBe('');
    expect([uac.code, uas.code]).toEqual([0, 0]);
  }, 30000);

  test('TCP caller, UDP callee', async () => {
    const [uac, uas] = await withCallee('tm-uas-call.xml', 16011, 3, () =>
      runSipp({ scenario: 'tm-uac-call.xml', service: 'call', transport: 't1', target: `127.0.0.1:${PORT}`, localPort: 16102, calls: 3, timeoutS: 15 }));
    expect(uac.errors).toBe('');
    expect(uas.errors).toBe('');
    expect([uac.code, uas.code]).toEqual([0, 0]);
  }, 30000);

  test('UDP caller, TCP callee (t_relay_to_tcp): replies relayed back over UDP', async () => {
    const callee = runSipp({ scenario: 'tm-uas-call.xml', transport: 't1', target: `127.0.0.1:${PORT}`, localPort: 16013, calls: 3, timeoutS: 15 });
    await sleep(300);
    const uac = await runSipp({ scenario: 'tm-uac-call.xml', service: 'tcpcallee', target: `127.0.0.1:${PORT}`, localPort: 16109, calls: 3, timeoutS: 15 });
    const uas = await callee;
    expect(uac.errors).toBe('');
    expect(uas.errors).toBe('');
    expect([uac.code, uas.code]).toEqual([0, 0]);
  }, 30000);

  test('record-routed call: ACK and BYE follow the Route set through the proxy', async () => {
    const [uac, uas] = await withCallee('tm-uas-rr.xml', 16012, 3, () =>
      runSipp({ scenario: 'tm-uac-rr.xml', service: 'rr', target: `127.0.0.1:${PORT}`, localPort: 16107, calls: 3, timeoutS: 15 }));
    expect(uac.errors).toBe('');
    expect(uas.errors).toBe('');
    expect([uac.code, uas.code]).toEqual([0, 0]);
  }, 30000);

  test('callee never answers: 408 after fr_timer (2 s), ACK absorbed', async () => {
    const t0 = Date.now();
    let during = -1;
    const [uac, uas] = await withCallee('tm-uas-silent.xml', 16021, 1, async () => {
      const caller = runSipp({ scenario: 'tm-uac-408.xml', service: 'noanswer', target: `127.0.0.1:${PORT}`, localPort: 16103, calls: 1, timeoutS: 15 });
      await sleep(1000);
      during = await inUse();
      return caller;
    });
    // the pending INVITE was in the table while the callee stayed silent
    expect(during).toBe(1);
    expect(uac.errors).toBe('');
    expect(uac.code).toBe(0);
    expect(uas.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
  }, 30000);

  test('CANCEL while ringing: 200 to the CANCEL, CANCEL on the branch, 487 to the caller', async () => {
    const [uac, uas] = await withCallee('tm-uas-cancel.xml', 16031, 3, () =>
      runSipp({ scenario: 'tm-uac-cancel.xml', service: 'cancel', target: `127.0.0.1:${PORT}`, localPort: 16104, calls: 3, timeoutS: 15 }));
    expect(uac.errors).toBe('');
    expect(uas.errors).toBe('');
    expect([uac.code, uas.code]).toEqual([0, 0]);
  }, 30000);

  test('serial forking: 503 from the first callee, failure_route relays to the second, whose 200 ends the call', async () => {
    const first = runSipp({ scenario: 'tm-uas-503.xml', target: `127.0.0.1:${PORT}`, localPort: 16041, calls: 2, timeoutS: 15 });
    const [uac, second] = await withCallee('tm-uas-call.xml', 16042, 2, () =>
      runSipp({ scenario: 'tm-uac-call.xml', service: 'serial', target: `127.0.0.1:${PORT}`, localPort: 16105, calls: 2, timeoutS: 15 }));
    const f = await first;
    expect(uac.errors).toBe('');
    expect(f.errors).toBe('');
    expect(second.errors).toBe('');
    expect([uac.code, f.code, second.code]).toEqual([0, 0, 0]);
  }, 30000);

  test('retransmissions: the proxy absorbs the caller\'s and generates its own after T1', async () => {
    // scripted callee: drops the first INVITE, answers the retransmission
    const callee: Socket = createSocket('udp4');
    const invites: { at: number; branch: string }[] = [];
    callee.on('message', (m, from) => {
      const text = m.toString();
      if (!text.startsWith('INVITE')) return;
      invites.push({ at: Date.now(), branch: /branch=([^;\r\n]+)/.exec(text)![1] });
      if (invites.length < 2) return;
      const keep = text.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l))
        .map((l) => (/^To:/i.test(l) ? `${l};tag=callee` : l));
      for (const status of ['180 Ringing', '200 OK']) {
        callee.send([`SIP/2.0 ${status}`, ...keep, 'Contact: <sip:127.0.0.1:16051>', 'Content-Length: 0', '', ''].join('\r\n'), from.port, from.address);
      }
    });
    await new Promise<void>((r) => callee.bind(16051, '127.0.0.1', () => r()));
    try {
      const uac = await runSipp({ scenario: 'tm-uac-dup.xml', service: 'retrans', target: `127.0.0.1:${PORT}`, localPort: 16106, calls: 1, timeoutS: 10 });
      expect(uac.errors).toBe('');
      expect(uac.code).toBe(0);
      // one INVITE from the proxy despite two from the caller, then its own retransmission ~T1 later
      expect(invites.length).toBe(2);
      expect(invites[1].branch).toBe(invites[0].branch);
      const gap = invites[1].at - invites[0].at;
      expect(gap).toBeGreaterThanOrEqual(450);
      expect(gap).toBeLessThan(800);
    } finally {
      callee.close();
    }
  }, 30000);

  test('t_suspend parks an INVITE; t_continue from a later request resumes it (the call cannot complete before)', async () => {
    const callee = runSipp({ scenario: 'tm-uas-call.xml', target: `127.0.0.1:${PORT}`, localPort: 16061, calls: 1, timeoutS: 15 });
    await sleep(300);
    const t0 = Date.now();
    const caller = runSipp({ scenario: 'tm-uac-call.xml', service: 'park', target: `127.0.0.1:${PORT}`, localPort: 16108, calls: 1, timeoutS: 15 });
    await sleep(800);
    expect(await ask('MESSAGE', 'resume')).toBe('SIP/2.0 200 resumed');
    const [uac, uas] = [await caller, await callee];
    expect(uac.errors).toBe('');
    expect(uas.errors).toBe('');
    expect([uac.code, uas.code]).toEqual([0, 0]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(800);
    // nothing parked any more
    expect(await ask('MESSAGE', 'resume')).toBe('SIP/2.0 404 nothing parked');
  }, 30000);

  test('the transaction table is empty again once the calls ended and wt_timer passed', async () => {
    await sleep(1500);
    expect(await inUse()).toBe(0);
    expect(sipr.running).toBe(true);
  }, 15000);
});
