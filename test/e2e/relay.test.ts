/**
 * Whole calls through sipr as a relay, SIPp uac -> sipr -> SIPp uas (INVITE, 100, 180, 200,
 * ACK, BYE, 200): stateless forward() over UDP, forward_tcp() to a TCP uas (replies come back on
 * the connection sipr opened and go out over UDP), from a TCP uac (replies go back on the
 * connection it opened), and stateful t_relay. Ports 15310-15329.
 */
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp, startSipp } from './helpers/sipp';

const PORT = 15310;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
listen=tcp:127.0.0.1:${PORT}
loadmodule "sl"
loadmodule "maxfwd"
loadmodule "tm"

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (uri =~ "^sip:tcp@") {
		forward_tcp("127.0.0.1", 15312);
		exit;
	}
	if (uri =~ "^sip:fromtcp@") {
		forward("127.0.0.1", 15314);
		exit;
	}
	if (uri =~ "^sip:tm@") {
		t_relay_to_udp("127.0.0.1", "15313");
		exit;
	}
	forward("127.0.0.1", 15311);
}
`;

describe('relaying calls (SIPp uac -> sipr -> SIPp uas)', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;
  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('relay.cfg', CFG), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test.each([
    ['stateless forward, UDP both ways', 'udp', 15311, 'u1', 15321, 'u1'],
    ['stateless forward_tcp to a TCP uas, UDP to the uac', 'tcp', 15312, 't1', 15322, 'u1'],
    ['stateful t_relay', 'tm', 15313, 'u1', 15323, 'u1'],
    ['stateless forward from a TCP uac (replies back on its connection) to a UDP uas', 'fromtcp', 15314, 'u1', 15324, 't1'],
  ] as const)('%s', async (_name, service, uasPort, uasTransport, uacPort, uacTransport = 'u1') => {
    const calls = 10;
    const uas = startSipp({ scenario: 'uas', transport: uasTransport, localPort: uasPort, calls });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const uac = await runSipp({ scenario: 'uac', service, transport: uacTransport, localPort: uacPort, target: `127.0.0.1:${PORT}`, calls, rate: 50 });
      expect(uac.errors).toBe('');
      expect(uac.code).toBe(0);
    } finally {
      // the uas would linger 4 s in its final timewait; every call already completed at the uac
      uas.kill();
    }
    expect((await uas.done).errors).toBe('');
    expect(sipr.running).toBe(true);
  });
});
