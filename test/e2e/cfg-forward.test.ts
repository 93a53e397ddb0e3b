/**
 * Stateless forward() on the wire, sipr next to kamailio 5.6 running the same config: the
 * forwarded bytes must be equal except for each server's own port and the branch value.
 * Ports 18070-18079. The kamailio half is skipped without kamailio.
 */
import type { Socket } from 'node:dgram';
import { arrived, HAVE_KAMAILIO, KamailioDiff, nextDatagram, sendAndWait } from './helpers/kamailio';

const S_PORT = 18071;
const K_PORT = 18074;
const CLIENT = 18072;
const NEXT_HOP = 18073;

function config(port: number): string {
  return `#!KAMAILIO
listen=udp:127.0.0.1:${port}
loadmodule "pv"
loadmodule "sl"

request_route {
  if ($rU == "fwd") { forward("127.0.0.1", ${NEXT_HOP}); exit; }
  if ($rU == "lrport") { add_local_rport(); forward("127.0.0.1", ${NEXT_HOP}); exit; }
  if ($rU == "adv") { set_advertised_address("203.0.113.9"); set_advertised_port(5999); forward("127.0.0.1", ${NEXT_HOP}); exit; }
  if ($rU == "du") { $du = "sip:127.0.0.1:${NEXT_HOP}"; forward(); exit; }
  if ($rU == "blocked") { forward("127.0.0.1", ${NEXT_HOP}); sl_send_reply("200", "after onsend"); exit; }
  sl_send_reply("404", "no");
}

onsend_route {
  if ($rU == "blocked") drop;
}
`;
}

function request(user: string, port: number, n: number): Buffer {
  return Buffer.from(
    `OPTIONS sip:${user}@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${CLIENT};branch=z9hG4bKfwd${n}\r\n` +
      `From: <sip:alice@127.0.0.1>;tag=f${n}\r\nTo: <sip:${user}@127.0.0.1>\r\nCall-ID: cfgfwd-${n}@127.0.0.1\r\nCSeq: 7 OPTIONS\r\n` +
      `Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** Wait for the next datagram on a socket whose text contains `mark`. */
async function next(sock: Socket, mark: string, timeoutMs = 3000): Promise<string> {
  return arrived(await nextDatagram(sock, mark, timeoutMs), `${mark} within ${timeoutMs} ms`);
}

describe('forward() on the wire', () => {
  const diff = new KamailioDiff();
  let client: Socket;
  let hop: Socket;
  let n = 0;

  beforeAll(async () => {
    await diff.start(HAVE_KAMAILIO ? config(K_PORT) : null, config(S_PORT));
    client = await diff.udp(CLIENT);
    hop = await diff.udp(NEXT_HOP);
    if (HAVE_KAMAILIO) {
      await diff.untilKamailioAnswers(() => {
        const id = ++n;
        return sendAndWait(client, request('nobody', K_PORT, id), K_PORT, `cfgfwd-${id}@`, 1000);
      }, 9);
    }
  }, 30000);

  afterAll(() => diff.stop());

  async function forwarded(user: string, port: number, id = ++n): Promise<string> {
    const got = next(hop, `cfgfwd-${id}@`);
    client.send(request(user, port, id), port, '127.0.0.1');
    return got;
  }

  test('a new top Via with an RFC 3261 branch; the rest unchanged; retransmissions keep the branch', async () => {
    const first = await forwarded('fwd', S_PORT, 900);
    const lines = first.split('\r\n');
    expect(lines[0]).toBe(`OPTIONS sip:fwd@127.0.0.1:${S_PORT} SIP/2.0`);
    expect(lines[1]).toMatch(new RegExp(`^Via: SIP/2.0/UDP 127.0.0.1:${S_PORT};branch=z9hG4bK[0-9a-f]+$`));
    expect(lines[2]).toBe(`Via: SIP/2.0/UDP 127.0.0.1:${CLIENT};branch=z9hG4bKfwd900`);
    expect(first.endsWith('Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n')).toBe(true);
    const again = await forwarded('fwd', S_PORT, 900);
    expect(again).toBe(first);
  });

  test('$du decides the next hop when forward() has no arguments', async () => {
    const m = await forwarded('du', S_PORT);
    expect(m.split('\r\n')[0]).toBe(`OPTIONS sip:du@127.0.0.1:${S_PORT} SIP/2.0`);
  });

  test('drop in onsend_route stops the send; the script goes on', async () => {
    const id = ++n;
    const reply = next(client, `cfgfwd-${id}@`);
    let leaked = false;
    const watch = (m: Buffer) => { if (m.toString().includes(`cfgfwd-${id}@`)) leaked = true; };
    hop.on('message', watch);
    client.send(request('blocked', S_PORT, id), S_PORT, '127.0.0.1');
    expect((await reply).split('\r\n')[0]).toBe('SIP/2.0 200 after onsend');
    await new Promise((r) => setTimeout(r, 200));
    hop.off('message', watch);
    expect(leaked).toBe(false);
  });

  (HAVE_KAMAILIO ? test.each(['fwd', 'lrport', 'adv']) : test.skip.each(['fwd']))('%s: the forwarded bytes equal kamailio\'s (port and branch aside)', async (user) => {
    const norm = (m: string, port: number) =>
      m.split(`:${port}`).join(':PORT').replace(/branch=z9hG4bK[^;\r\n]*/, 'branch=z9hG4bK<b>').replace(/cfgfwd-\d+@|tag=f\d+|branch=z9hG4bKfwd\d+/g, '');
    const s = norm(await forwarded(user, S_PORT), S_PORT);
    const k = norm(await forwarded(user, K_PORT), K_PORT);
    expect(s).toBe(k);
  });
});
