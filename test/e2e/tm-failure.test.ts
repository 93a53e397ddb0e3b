/**
 * t_relay that cannot forward, answered by the script: the caller (the real SIPp, and a raw
 * socket counting every datagram) sees exactly one final reply. Ports 16200-16299.
 */
import { createSocket } from 'node:dgram';
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp } from './helpers/sipp';

const PORT = 16200;
// no TCP listener: a TCP next hop has no socket to go out from, so t_relay fails at once
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
loadmodule "sl"
loadmodule "pv"
loadmodule "tm"
modparam("tm", "fr_timer", 2)
modparam("tm", "wt_timer", 1)

request_route {
	if ($rU == "treply") {
		if (!t_relay_to_tcp("127.0.0.1", "16299")) t_reply("503", "No Way Out");
		exit;
	}
	if ($rU == "plain") {
		t_relay_to_tcp("127.0.0.1", "16299");
		exit;
	}
	if (!t_relay_to_tcp("127.0.0.1", "16299")) sl_reply_error();
}
`;

/**
 * Send one INVITE from `port` and collect the first lines of the distinct replies that come back
 * in `ms` (a negative reply repeats every T1 until an ACK, which this caller never sends).
 */
function collect(user: string, port: number, ms: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const lines: string[] = [];
    s.on('error', (e) => { s.close(); reject(e); });
    s.on('message', (m) => {
      const line = m.toString('latin1').split('\r\n')[0];
      if (!lines.includes(line)) lines.push(line);
    });
    s.bind(port, '127.0.0.1', () => {
      const id = `${user}-${Date.now()}`;
      s.send([
        `INVITE sip:${user}@127.0.0.1:${PORT} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-${id}`,
        'From: <sip:t@127.0.0.1>;tag=1', `To: <sip:${user}@127.0.0.1:${PORT}>`, `Call-ID: ${id}`, 'CSeq: 1 INVITE',
        'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n'), PORT, '127.0.0.1');
      setTimeout(() => { s.close(); resolve(lines); }, ms);
    });
  });
}

describe('tm: relay failure answered by the script', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('tm-failure.cfg', CFG), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    dir.remove();
  });

  test('SIPp: if (!t_relay()) sl_reply_error() gives one 500 and nothing after the ACK', async () => {
    const uac = await runSipp({ scenario: 'tm-uac-one-error.xml', service: 'sl', target: `127.0.0.1:${PORT}`, localPort: 16201, calls: 3, timeoutS: 10 });
    expect(uac.errors).toBe('');
    expect(uac.code).toBe(0);
  }, 30000);

  test('on the wire: 100, then the stateless 500 only', async () => {
    expect(await collect('sl', 16202, 1500)).toEqual([
      'SIP/2.0 100 trying -- your call is important to us', "SIP/2.0 500 I'm terribly sorry, server error occurred (1/SL)"]);
  }, 10000);

  test('t_reply after the failed relay: its reply only', async () => {
    expect(await collect('treply', 16203, 1500)).toEqual(['SIP/2.0 100 trying -- your call is important to us', 'SIP/2.0 503 No Way Out']);
  }, 10000);

  test('no script reply: tm answers after the script', async () => {
    const lines = await collect('plain', 16204, 1500);
    expect(lines[0]).toBe('SIP/2.0 100 trying -- your call is important to us');
    expect(lines.slice(1)).toEqual(['SIP/2.0 478 Unresolvable destination']);
  }, 10000);
});
