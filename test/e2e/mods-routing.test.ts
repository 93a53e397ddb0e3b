/**
 * The core routing modules on the wire, checked by the real SIPp: record-routing and loose
 * routing through a stateless sipr (rr, siputils), headers added to replies (textops
 * append_to_reply) with values kept across requests (htable), and requests refused by sanity
 * with Kamailio's codes (autodrop off, so the script logs the refusal with xlog). Ports 20100-20139.
 */
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp, startSipp } from './helpers/sipp';

const PORT = 20100;
const UAS = 20120;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
loadmodule "pv"
loadmodule "sl"
loadmodule "rr"
loadmodule "siputils"
loadmodule "textops"
loadmodule "sanity"
loadmodule "htable"
loadmodule "xlog"
modparam("rr", "append_fromtag", 1)
modparam("htable", "htable", "count=>size=4;initval=0;")
modparam("sanity", "autodrop", 0)

request_route {
	if (!sanity_check()) {
		xlog("L_WARN", "sanity refused $rm $ci\\n");
		exit;
	}
	if (has_totag()) {
		if (loose_route()) {
			forward();
			exit;
		}
		if (is_method("ACK")) exit;
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("OPTIONS")) {
		$var(n) = $shtinc(count=>$rU);
		append_to_reply("X-Count: $var(n)\\r\\nX-User: $rU\\r\\n");
		sl_send_reply("200", "OK");
		exit;
	}
	record_route();
	$du = "sip:127.0.0.1:${UAS}";
	forward();
}
`;

describe('routing modules (SIPp)', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('mods.cfg', CFG), '-n', '1']);
  }, 20000);
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('record_route() shows in the INVITE and the 200; ACK and BYE follow the Route set through loose_route()', async () => {
    const uas = startSipp({ scenario: 'mods-rr-uas.xml', localPort: UAS, calls: 1, timeoutS: 10 });
    try {
      const uac = await runSipp({ scenario: 'mods-rr-uac.xml', service: 'bob', target: `127.0.0.1:${PORT}`, localPort: 20101, calls: 1, timeoutS: 10 });
      expect(uac.errors).toBe('');
      expect(uac.code).toBe(0);
      const callee = await uas.done;
      expect(callee.errors).toBe('');
      expect(callee.code).toBe(0);
    } finally {
      uas.kill();
    }
  }, 30000);

  test('append_to_reply headers reach the replies and the htable counter grows across requests', async () => {
    const r = await runSipp({ scenario: 'mods-options-count.xml', service: 'carol', target: `127.0.0.1:${PORT}`, localPort: 20102, calls: 1 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
  }, 20000);

  test('the counter check bites: a second run starts at 4, not 1', async () => {
    const r = await runSipp({ scenario: 'mods-options-count.xml', service: 'carol', target: `127.0.0.1:${PORT}`, localPort: 20103, calls: 1 });
    expect(r.code).toBe(1);
    expect(r.errors).toContain("looking in ' 4', with regexp '^ *1 *$'");
  }, 20000);

  test('sanity_check() answers an illegal Expires with 400 and an unknown Proxy-Require with 420 Unsupported', async () => {
    const r = await runSipp({ scenario: 'mods-sanity.xml', service: 'dave', target: `127.0.0.1:${PORT}`, localPort: 20104, calls: 1 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
    await sipr.waitFor(/WARNING: <script>: sanity refused OPTIONS 1-\d+@127\.0\.0\.1\n[^]*WARNING: <script>: sanity refused OPTIONS /, 5000);
    expect(sipr.running).toBe(true);
  }, 20000);
});
