/**
 * Stateless replies on the wire, checked by the real SIPp: status, To-tag, Via with rport,
 * Content-Length and CSeq (see scenarios/*.xml), over UDP and TCP. Ports 15220-15259.
 */
import { startSipr, TempDir, HAS_IPV6, type SiprProcess } from './helpers/sipr';
import { runSipp } from './helpers/sipp';

const PORT = 15220;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
listen=tcp:127.0.0.1:${PORT}
${HAS_IPV6 ? `listen=udp:[::1]:${PORT}\nlisten=tcp:[::1]:${PORT}` : ''}
loadmodule "sl"
loadmodule "maxfwd"

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (method == "ACK") exit;
	if (uri =~ "^sip:nobody@") {
		sl_send_reply("404", "Not Found");
		exit;
	}
	sl_send_reply("200", "OK");
}
`;

describe('stateless replies (SIPp)', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('stateless.cfg', CFG), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  const cases: [string, string, string, 'u1' | 't1', number][] = [
    ['OPTIONS -> 200 over UDP', 'options-200.xml', 'sipr', 'u1', 15221],
    ['REGISTER -> 200 over UDP', 'register-200.xml', 'sipr', 'u1', 15222],
    ['INVITE -> 404, ACK absorbed, over UDP', 'invite-404.xml', 'nobody', 'u1', 15223],
    ['OPTIONS with Max-Forwards: 0 -> 483 over UDP', 'options-483.xml', 'sipr', 'u1', 15224],
    ['OPTIONS -> 404 over UDP', 'options-404.xml', 'nobody', 'u1', 15225],
    ['OPTIONS -> 200 over TCP', 'options-200.xml', 'sipr', 't1', 15226],
    ['REGISTER -> 200 over TCP', 'register-200.xml', 'sipr', 't1', 15227],
    ['INVITE -> 404 over TCP', 'invite-404.xml', 'nobody', 't1', 15228],
    ['OPTIONS -> 483 over TCP', 'options-483.xml', 'sipr', 't1', 15229],
  ];

  test.each(cases)('%s', async (_name, scenario, service, transport, localPort) => {
    const r = await runSipp({ scenario, service, transport, localPort, target: `127.0.0.1:${PORT}`, calls: 5 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
    expect(sipr.running).toBe(true);
  });

  (HAS_IPV6 ? test.each : test.skip.each)([
    ['OPTIONS -> 200 over UDP on ::1', 'options-200.xml', 'u1', 15231],
    ['INVITE -> 404 over TCP on ::1', 'invite-404.xml', 't1', 15232],
  ] as const)('%s', async (_name, scenario, transport, localPort) => {
    const service = scenario === 'invite-404.xml' ? 'nobody' : 'sipr';
    const r = await runSipp({ scenario, service, transport, localPort, localIp: '::1', target: `[::1]:${PORT}`, calls: 3 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
  });

  test('the checks bite: a 404 where the scenario expects 200 fails the call', async () => {
    const r = await runSipp({ scenario: 'options-200.xml', service: 'nobody', localPort: 15230, target: `127.0.0.1:${PORT}`, calls: 1 });
    expect(r.code).toBe(1);
    expect(r.errors).toMatch(/while expecting '200'.*received 'SIP\/2\.0 404 Not Found/s);
  });
});
