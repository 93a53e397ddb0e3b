/**
 * Double Record-Route on the wire: a caller on TCP, a callee on UDP, sipr in between adds two
 * Record-Routes with r2=on (the UDP side for the callee on top, the TCP side with
 * transport=tcp for the caller), and loose_route() consumes both entries of in-dialog requests.
 * Checked by the real SIPp on both sides. Ports 20110-20121.
 */
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp, startSipp } from './helpers/sipp';

const PORT = 20110;
const UAS = 20121;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
listen=tcp:127.0.0.1:${PORT}
loadmodule "pv"
loadmodule "sl"
loadmodule "rr"
loadmodule "siputils"
modparam("rr", "append_fromtag", 1)

request_route {
	if (has_totag()) {
		if (loose_route()) {
			forward();
			exit;
		}
		if (method == "ACK") exit;
		sl_send_reply("404", "Not here");
		exit;
	}
	$du = "sip:127.0.0.1:${UAS}";
	record_route();
	forward();
}
`;

describe('double Record-Route between TCP and UDP (SIPp)', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('double-rr.cfg', CFG), '-n', '1']);
  }, 20000);
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('INVITE over TCP leaves over UDP with two Record-Routes; ACK and BYE come back through both', async () => {
    const uas = startSipp({ scenario: 'mods-rr2-uas.xml', localPort: UAS, calls: 1, timeoutS: 10 });
    try {
      const uac = await runSipp({ scenario: 'mods-rr2-uac.xml', service: 'bob', transport: 't1', target: `127.0.0.1:${PORT}`, localPort: 20111, calls: 1, timeoutS: 10 });
      expect(uac.errors).toBe('');
      expect(uac.code).toBe(0);
      const callee = await uas.done;
      expect(callee.errors).toBe('');
      expect(callee.code).toBe(0);
      expect(sipr.running).toBe(true);
    } finally {
      uas.kill();
    }
  }, 30000);
});
