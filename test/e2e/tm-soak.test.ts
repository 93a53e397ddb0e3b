/**
 * Nothing leaks: 10,000 calls (INVITE, 180, 200, ACK, BYE, 200) through tm between SIPp's
 * built-in uac and uas, then the transaction table must be empty again once the wait timer has
 * run out, read through $stat(inuse_transactions). Ports 16600-16699.
 */
import { inUseTransactions } from './helpers/ask';
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp, startSipp } from './helpers/sipp';

const PORT = 16600;
const UAS = 16601;
const UAC = 16602;
const ASK = 16603;
const CALLS = 10000;

const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
loadmodule "sl"
loadmodule "pv"
loadmodule "tm"
loadmodule "tmx"
modparam("tm", "wt_timer", 1)

request_route {
	if ($rU == "stats") {
		sl_send_reply("200", "inuse=$stat(inuse_transactions)");
		exit;
	}
	$du = "sip:127.0.0.1:${UAS}";
	if (!t_relay()) sl_reply_error();
}
`;

const inUse = () => inUseTransactions(PORT, ASK);

describe('tm: no transaction outlives its call', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('soak.cfg', CFG), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test(`${CALLS} calls through tm leave the transaction table empty`, async () => {
    const uas = startSipp({ scenario: 'uas', localPort: UAS, calls: CALLS, timeoutS: 90 });
    try {
      const uac = await runSipp({ scenario: 'uac', service: 'soak', target: `127.0.0.1:${PORT}`, localPort: UAC, calls: CALLS, rate: 1000, timeoutS: 90 });
      expect(uac.errors).toBe('');
      expect(uac.code).toBe(0);
      expect(uac.stdout).toMatch(new RegExp(`Successful call\\s*\\|\\s*\\d+\\s*\\|\\s*${CALLS}\\b`));
    } finally {
      uas.kill();
    }
    // completed transactions wait out wt_timer (1 s) before they are freed
    let left = await inUse();
    for (let i = 0; i < 30 && left > 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      left = await inUse();
    }
    expect(left).toBe(0);
  }, 150_000);
});
