/**
 * PROTOS c07-sip against the running server: all 4527 cases (INVITE + CANCEL each) over UDP,
 * the ones too big for a datagram over TCP. PROTOS' criterion: the target survives every case
 * and still serves the valid case 0. Ports 15300-15309.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';
import { runSipp } from './helpers/sipp';
import { protosCase, protosCases } from './helpers/protos';

const PORT = 15300;
const LOCAL = 15301;
const CFG = `#!KAMAILIO
debug=-5
listen=udp:127.0.0.1:${PORT}
listen=tcp:127.0.0.1:${PORT}
loadmodule "sl"
request_route {
	if (method == "ACK") exit;
	sl_send_reply("200", "OK");
}
`;
const MAX_DATAGRAM = 65507;

describe('PROTOS c07-sip on the wire', () => {
  const dir = new TempDir();
  let sipr: SiprProcess;
  let sock: dgram.Socket;
  const replies: string[] = [];

  beforeAll(async () => {
    sipr = await startSipr(['-f', dir.write('protos.cfg', CFG), '-n', '1']);
    sock = dgram.createSocket('udp4');
    sock.on('message', (m) => replies.push(m.toString('latin1')));
    await new Promise<void>((r) => sock.bind(LOCAL, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    sock?.close();
    await sipr?.stop();
    dir.remove();
  });

  test('every case is survived; case 0 and a following SIPp OPTIONS are still answered', async () => {
    const names = protosCases();
    expect(names).toHaveLength(4527);
    const big: Buffer[] = [];
    let sent = 0;
    for (const name of names) {
      for (const msg of protosCase(name, LOCAL)) {
        if (msg.length > MAX_DATAGRAM) { big.push(msg); continue; }
        await new Promise<void>((r) => sock.send(msg, PORT, '127.0.0.1', () => r()));
        // pace the flood so the kernel buffer does not drop what the server should see
        if (++sent % 200 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    }
    for (const msg of big) {
      const c = net.connect(PORT, '127.0.0.1');
      c.on('error', () => undefined);
      c.resume(); // read (and discard) the reply, else the close never comes
      c.end(msg);
      await new Promise((r) => c.on('close', r));
      expect(sipr.running).toBe(true);
    }
    expect(sipr.running).toBe(true);

    replies.length = 0;
    const [invite] = protosCase(names[0], LOCAL);
    await new Promise<void>((r) => sock.send(invite, PORT, '127.0.0.1', () => r()));
    const until = Date.now() + 5000;
    while (!replies.some((m) => m.startsWith('SIP/2.0 200 OK') && m.includes('protos-0@')) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(replies.some((m) => m.startsWith('SIP/2.0 200 OK') && m.includes('protos-0@'))).toBe(true);

    const r = await runSipp({ scenario: 'options-200.xml', localPort: 15302, target: `127.0.0.1:${PORT}`, calls: 2 });
    expect(r.errors).toBe('');
    expect(r.code).toBe(0);
    expect(sipr.running).toBe(true);
  }, 120000);
});
