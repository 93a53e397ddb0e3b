/**
 * Nothing leaks: 10,000 calls (INVITE, 180, 200, ACK, BYE, 200) through tm between SIPp's
 * built-in uac and uas, then the transaction table must be empty again once the wait timer has
 * run out, read through $stat(inuse_transactions). Ports 16600-16699.
 */
import { createSocket } from 'node:dgram';
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

function inUse(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => { s.close(); reject(new Error('no reply to the stats OPTIONS')); }, 3000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      const r = /^SIP\/2\.0 200 inuse=(\d+)\r\n/.exec(m.toString('latin1'));
      if (r) resolve(Number(r[1])); else reject(new Error(`unexpected reply: ${m.toString('latin1').split('\r\n')[0]}`));
    });
    s.bind(ASK, '127.0.0.1', () => {
      const id = `soak-${Date.now()}`;
      s.send([
        `OPTIONS sip:stats@127.0.0.1:${PORT} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${ASK};branch=z9hG4bK-${id}`,
        'From: <sip:t@127.0.0.1>;tag=1', `To: <sip:stats@127.0.0.1:${PORT}>`, `Call-ID: ${id}`, 'CSeq: 1 OPTIONS',
        'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'), PORT, '127.0.0.1');
    });
  });
}

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
