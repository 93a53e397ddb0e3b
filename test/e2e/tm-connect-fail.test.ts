/**
 * tm relays over TCP to a loopback port where nothing listens: the refused connect fails the
 * branch at once (477, as Kamailio), long before fr_timer (10 s here), and an armed failure_route
 * runs and forks serially to a live callee. Ports 16700-16799.
 */
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp } from './helpers/sipp';

const PORT = 16700;
const CLOSED = 16799;
const CALLEE = 16711;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
listen=tcp:127.0.0.1:${PORT}
loadmodule "sl"
loadmodule "pv"
loadmodule "tm"
modparam("tm", "fr_timer", 10)
modparam("tm", "fr_inv_timer", 10)
modparam("tm", "wt_timer", 1)

request_route {
	if (method == "CANCEL") {
		if (t_check_trans()) t_relay();
		exit;
	}
	t_check_trans();
	if ($rU == "fork" && method != "INVITE") {
		$du = "sip:127.0.0.1:${CALLEE}";
	} else {
		$du = "sip:127.0.0.1:${CLOSED};transport=tcp";
		if ($rU == "fork") t_on_failure("NEXT");
	}
	t_relay();
}

failure_route[NEXT] {
	if (t_check_status("477")) {
		$du = "sip:127.0.0.1:${CALLEE}";
		t_relay();
	}
}
`;

describe('tm: a refused TCP connect fails the branch at once', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('tm-connect-fail.cfg', CFG), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('SIPp caller: 477 "Unfortunately error on sending to next hop occurred (477/TM)" (as kamailio 5.6) well before fr_timer', async () => {
    const started = Date.now();
    const uac = await runSipp({ scenario: 'tm-uac-477.xml', service: 'refused', target: `127.0.0.1:${PORT}`, localPort: 16701, calls: 2, timeoutS: 8 });
    expect(uac.errors).toBe('');
    expect(uac.code).toBe(0);
    // two calls, each with a 1.5 s pause after the ACK; a 408 would need 10 s per call
    expect(Date.now() - started).toBeLessThan(7000);
  }, 30000);

  test('failure_route sees 477 and forks to a live callee, whose 200 ends the call', async () => {
    const callee = runSipp({ scenario: 'tm-uas-call.xml', target: `127.0.0.1:${PORT}`, localPort: CALLEE, calls: 2, timeoutS: 8 });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const uac = await runSipp({ scenario: 'tm-uac-call.xml', service: 'fork', target: `127.0.0.1:${PORT}`, localPort: 16702, calls: 2, timeoutS: 8 });
    const uas = await callee;
    expect(uac.errors).toBe('');
    expect(uac.code).toBe(0);
    expect(uas.errors).toBe('');
    expect(uas.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(7000);
  }, 30000);
});
