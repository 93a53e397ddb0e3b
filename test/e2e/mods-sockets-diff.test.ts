/**
 * Socket-dependent header edits against Debian's kamailio 5.6: the double Record-Route names the
 * socket the request actually leaves through (TCP caller / UDP callee, the reverse, $du set
 * after record_route(), with forward() and with tm's t_relay()), and force_rport (global
 * force_rport=yes) writes rport into the Via of replies and forwarded requests. One config runs
 * in both; what the callee (sink) or the caller receives must be byte-equal, each proxy's own top
 * Via aside. Only one UDP socket is listened on: with several, kamailio 5.6 and sipr pick
 * different default UDP sockets for a request that came over TCP. Ports 20230-20234. Skipped
 * without kamailio.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createConnection, createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { describeWithKamailio, KamailioDiff, mask, withoutSlTag, withoutTopVia } from './helpers/kamailio';

const K_PORT = 20230;
const S_PORT = 20231;
const CLIENT_PORT = 20232;
const K_SINK = 20233;
const S_SINK = 20234;
const WAIT_MS = 2000;

function config(port: number, sink: number): string {
  return `#!KAMAILIO
listen=udp:127.0.0.1:${port}
listen=tcp:127.0.0.1:${port}
force_rport=yes
loadmodule "pv"
loadmodule "tm"
loadmodule "sl"
loadmodule "rr"
modparam("rr", "append_fromtag", 1)

request_route {
  if ($rU == "rport") { sl_send_reply("200", "rport"); exit; }
  if ($rU == "totcp") {
    $du = "sip:127.0.0.1:${sink};transport=tcp";
    record_route();
    forward();
    exit;
  }
  if ($rU == "late") {
    record_route();
    $du = "sip:127.0.0.1:${sink};transport=tcp";
    forward();
    exit;
  }
  if ($rU == "tmlate") {
    record_route();
    $du = "sip:127.0.0.1:${sink};transport=tcp";
    t_relay();
    exit;
  }
  if ($rU == "toudp") {
    record_route();
    $du = "sip:127.0.0.1:${sink}";
    forward();
    exit;
  }
  sl_send_reply("404", "unknown case");
}
`;
}

let n = 0;
function request(ruri: string, via: string): { id: string; buf: Buffer } {
  const id = `sockdiff-${++n}`;
  const text = `OPTIONS ${ruri} SIP/2.0\r\nVia: ${via};branch=z9hG4bK${id}\r\n`
    + `From: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: ${id}@127.0.0.1\r\n`
    + 'CSeq: 7 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';
  return { id, buf: Buffer.from(text, 'latin1') };
}

/** Received SIP text (UDP datagrams or TCP stream data) kept until a wait takes it. */
class Inbox {
  private readonly texts: string[] = [];
  private waiter: (() => void) | null = null;

  push(t: string): void {
    this.texts.push(t);
    this.waiter?.();
  }

  /** The first text that holds `id` and a complete header section, or null after WAIT_MS. */
  async take(id: string): Promise<string | null> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const i = this.texts.findIndex((t) => t.includes(id) && t.includes('\r\n\r\n'));
      if (i >= 0) return this.texts.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiter = () => { clearTimeout(t); r(); };
      });
      this.waiter = null;
    }
  }
}

describeWithKamailio('mods-sockets-diff')('socket-dependent Record-Route and rport: sipr vs kamailio 5.6 on the wire', () => {
  const diff = new KamailioDiff();
  let client: Socket;
  const clientIn = new Inbox();
  const sinks = new Map<number, Inbox>([[K_SINK, new Inbox()], [S_SINK, new Inbox()]]);

  async function sink(port: number): Promise<void> {
    const box = sinks.get(port)!;
    const u = createSocket('udp4');
    u.on('message', (m) => box.push(m.toString('latin1')));
    await new Promise<void>((r) => u.bind(port, '127.0.0.1', () => r()));
    const conns: TcpSocket[] = [];
    const srv: Server = createServer((c) => {
      conns.push(c);
      let acc = '';
      // the proxies keep one connection for several requests: one push per message
      c.on('data', (d) => {
        acc += d.toString('latin1');
        for (let end = acc.indexOf('\r\n\r\n'); end >= 0; end = acc.indexOf('\r\n\r\n')) {
          const len = Number(/\r\nContent-Length: *(\d+)/i.exec(acc.slice(0, end))?.[1] ?? 0);
          if (acc.length < end + 4 + len) break;
          box.push(acc.slice(0, end + 4 + len));
          acc = acc.slice(end + 4 + len);
        }
      });
      c.on('error', () => undefined);
    });
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
    diff.onStop(() => { u.close(); for (const c of conns) c.destroy(); srv.close(); });
  }

  /**
   * A TCP connection to the proxy from an ephemeral port (a fixed one would linger in TIME_WAIT
   * after the test and fail the next run); it stays open until the test ends.
   */
  async function connectTcp(port: number): Promise<TcpSocket> {
    const c = createConnection({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    diff.onStop(() => c.destroy());
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no TCP connection to ${port}`)), WAIT_MS);
      c.once('connect', () => { clearTimeout(t); resolve(); });
      c.once('error', (e) => { clearTimeout(t); reject(e); });
    });
    c.on('error', () => undefined);
    return c;
  }

  type Case = { user: string; over: 'udp' | 'tcp'; on: 'reply' | 'forward' };

  async function both(c: Case) {
    const run = async (port: number, sinkPort: number) => {
      const tcp = c.over === 'tcp' ? await connectTcp(port) : null;
      const via = tcp ? `SIP/2.0/TCP 127.0.0.1:${tcp.localPort}` : `SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT}`;
      const r = request(`sip:${c.user}@127.0.0.1:${port}`, via);
      const got = (c.on === 'reply' ? clientIn : sinks.get(sinkPort)!).take(r.id);
      if (tcp) tcp.write(r.buf);
      else client.send(r.buf, port, '127.0.0.1');
      const text = await got;
      const out = text && mask(text, [[r.id, '<id>'], [port, '<port>'], [sinkPort, '<sink>']]);
      return tcp && out ? mask(out, [[tcp.localPort!, '<tcpclient>']]) : out;
    };
    const kamailio = await run(K_PORT, K_SINK);
    const sipr = await run(S_PORT, S_SINK);
    return { kamailio, sipr };
  }

  beforeAll(async () => {
    await diff.start(config(K_PORT, K_SINK), config(S_PORT, S_SINK));
    client = await diff.udp(CLIENT_PORT);
    client.on('message', (m) => clientIn.push(m.toString('latin1')));
    await sink(K_SINK);
    await sink(S_SINK);
    await diff.untilKamailioAnswers(() => {
      const r = request(`sip:ping@127.0.0.1:${K_PORT}`, `SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT}`);
      const got = clientIn.take(r.id);
      client.send(r.buf, K_PORT, '127.0.0.1');
      return got;
    }, 11);
  }, 30000);

  afterAll(() => diff.stop());

  test.each<[string, Case]>([
    ['UDP caller, TCP callee', { user: 'totcp', over: 'udp', on: 'forward' }],
    ['UDP caller, $du (TCP) set after record_route()', { user: 'late', over: 'udp', on: 'forward' }],
    ['TCP caller, UDP callee', { user: 'toudp', over: 'tcp', on: 'forward' }],
    ['UDP caller, tm relays over TCP ($du set after record_route())', { user: 'tmlate', over: 'udp', on: 'forward' }],
    ['UDP both sides (one Record-Route)', { user: 'toudp', over: 'udp', on: 'forward' }],
  ])('double Record-Route: %s', async (_what, c) => {
    const r = await both(c);
    expect(r.sipr).not.toBeNull();
    expect(r.kamailio).not.toBeNull();
    expect(withoutTopVia(r.sipr)).toBe(withoutTopVia(r.kamailio));
  });

  test('force_rport=yes: a reply goes to the source port with rport= in the Via', async () => {
    const r = await both({ user: 'rport', over: 'udp', on: 'reply' });
    expect(r.sipr).toContain(`;rport=${CLIENT_PORT}`);
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
  });
});
