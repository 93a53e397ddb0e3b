/**
 * set_forward_no_connect(), set_forward_close(), set_reply_no_connect() and set_reply_close()
 * on the wire: a raw TCP peer counts the connections sipr opens and sees when sipr closes them.
 * Ports 15330-15349.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { startSipr, TempDir, type SiprProcess } from './helpers/sipr';

const PORT = 15330;
const PEER = 15331;
const UAC = 15332;
const CFG = `#!KAMAILIO
listen=udp:127.0.0.1:${PORT}
listen=tcp:127.0.0.1:${PORT}
loadmodule "sl"
loadmodule "tm"
request_route {
	if (uri =~ "^sip:nc@") {
		set_forward_no_connect();
		if (!forward_tcp("127.0.0.1", ${PEER})) sl_send_reply("503", "not connected");
		exit;
	}
	if (uri =~ "^sip:close@") {
		set_forward_close();
		forward_tcp("127.0.0.1", ${PEER});
		exit;
	}
	if (uri =~ "^sip:plain@") {
		forward_tcp("127.0.0.1", ${PEER});
		exit;
	}
	if (uri =~ "^sip:tmnc@") {
		set_forward_no_connect();
		if (!t_relay_to_tcp("127.0.0.1", "${PEER}")) sl_send_reply("503", "tm not connected");
		exit;
	}
	if (uri =~ "^sip:rclose@") {
		set_reply_close();
		sl_send_reply("200", "closing");
		exit;
	}
	if (uri =~ "^sip:tmrclose@") {
		set_reply_close();
		t_newtran();
		t_reply("200", "tm closing");
		exit;
	}
	sl_send_reply("200", "open");
}
`;

const request = (user: string, proto: 'UDP' | 'TCP', port: number, n: number) => [
  `OPTIONS sip:${user}@127.0.0.1 SIP/2.0`,
  `Via: SIP/2.0/${proto} 127.0.0.1:${port};branch=z9hG4bK-${user}-${n}`,
  'Max-Forwards: 70',
  'From: <sip:a@127.0.0.1>;tag=1',
  'To: <sip:b@127.0.0.1>',
  `Call-ID: flags-${user}-${n}`,
  `CSeq: ${n} OPTIONS`,
  'Content-Length: 0',
  '', ''].join('\r\n');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The TCP next hop: each connection sipr opens, what arrived on it, whether sipr ended it. */
class Peer {
  readonly conns: { data: string; ended: boolean }[] = [];
  private readonly server = net.createServer((s) => {
    const c = { data: '', ended: false };
    this.conns.push(c);
    s.on('data', (d) => { c.data += d.toString('latin1'); });
    s.on('end', () => { c.ended = true; s.end(); });
    s.on('error', () => undefined);
  });
  listen(): Promise<void> {
    return new Promise((r) => this.server.listen(PEER, '127.0.0.1', () => r()));
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('TCP connection control from the script', () => {
  const dir = new TempDir();
  const peer = new Peer();
  let sipr: SiprProcess;
  let udp: dgram.Socket;
  const udpReplies: string[] = [];
  let n = 0;
  const sendUdp = async (user: string, waitMs = 300) => {
    udp.send(request(user, 'UDP', UAC, ++n), PORT, '127.0.0.1');
    await sleep(waitMs);
  };

  beforeAll(async () => {
    await peer.listen();
    udp = dgram.createSocket('udp4');
    udp.on('message', (m) => udpReplies.push(m.toString('latin1')));
    await new Promise<void>((r) => udp.bind(UAC, '127.0.0.1', () => r()));
    sipr = await startSipr(['-f', dir.write('flags.cfg', CFG), '-n', '1']);
  });
  afterAll(async () => {
    await sipr?.stop();
    udp?.close();
    await peer.close();
    dir.remove();
  });

  test('forward with no_connect and no open connection fails and opens none (stateless and tm)', async () => {
    await sendUdp('nc');
    await sendUdp('tmnc');
    expect(peer.conns).toHaveLength(0);
    expect(udpReplies.map((r) => r.split('\r\n')[0])).toEqual(['SIP/2.0 503 not connected', 'SIP/2.0 503 tm not connected']);
  });

  test('once sipr has a connection, no_connect uses it; _close sends on it and then closes it', async () => {
    udpReplies.length = 0;
    await sendUdp('plain');
    expect(peer.conns).toHaveLength(1);
    expect(peer.conns[0].data).toContain('OPTIONS sip:plain@127.0.0.1 SIP/2.0\r\n');
    await sendUdp('nc');
    expect(peer.conns).toHaveLength(1);
    expect(peer.conns[0].data).toContain('OPTIONS sip:nc@127.0.0.1 SIP/2.0\r\n');
    expect(peer.conns[0].ended).toBe(false);
    await sendUdp('close');
    expect(peer.conns).toHaveLength(1);
    expect(peer.conns[0].data).toContain('OPTIONS sip:close@127.0.0.1 SIP/2.0\r\n');
    expect(peer.conns[0].ended).toBe(true);
    // the closed connection is gone: no_connect fails again
    await sendUdp('nc');
    expect(peer.conns).toHaveLength(1);
    expect(udpReplies.map((r) => r.split('\r\n')[0])).toEqual(['SIP/2.0 503 not connected']);
  });

  test.each([
    ['sl', 'rclose', 'SIP/2.0 200 closing', true],
    ['tm', 'tmrclose', 'SIP/2.0 200 tm closing', true],
    ['without the flag', 'open', 'SIP/2.0 200 open', false],
  ] as const)('reply close (%s): the reply arrives on the client connection, closed after it only with the flag', async (_name, user, status, closes) => {
    const sock = net.connect(PORT, '127.0.0.1');
    let data = '';
    let ended = false;
    sock.on('data', (d) => { data += d.toString('latin1'); });
    sock.on('end', () => { ended = true; });
    sock.on('error', () => undefined);
    try {
      await new Promise<void>((r) => sock.once('connect', () => r()));
      sock.write(request(user, 'TCP', sock.localPort!, ++n));
      await sleep(400);
      expect(data.split('\r\n')[0]).toBe(status);
      expect(ended).toBe(closes);
    } finally {
      sock.destroy();
    }
  });
});
