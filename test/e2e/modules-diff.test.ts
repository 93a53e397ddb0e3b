/**
 * sl and maxfwd against Debian's kamailio 5.6: one config runs in both; the same requests go to
 * each; replies must be byte-equal except the To-tag value and Kamailio's Server header, and
 * forwarded requests (maxfwd's Max-Forwards rewrite) equal except each proxy's own top Via.
 * Ports 17060-17065. Skipped without kamailio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSipr, type SiprProcess } from './helpers/sipr';

const KAMAILIO = '/usr/sbin/kamailio';
const KMODS = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
const K_PORT = 17061;
const S_PORT = 17062;
const CLIENT_PORT = 17063;
const K_SINK = 17064;
const S_SINK = 17065;

function config(port: number, sink: number, kamailio: boolean): string {
  return `#!KAMAILIO
listen=udp:127.0.0.1:${port}
loadmodule "pv"
loadmodule "sl"
loadmodule "maxfwd"
${kamailio ? 'loadmodule "corex"\n' : ''}modparam("maxfwd", "max_limit", 20)
request_route {
  if (method == "ACK") exit;
  if (!mf_process_maxfwd_header("10")) {
    sl_send_reply("483", "Too Many Hops");
    exit;
  }
  if ($rU == "fwd") {
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "moved") {
    $ru = "sip:x@10.0.0.1";
    append_branch("sip:y@10.0.0.2");
    sl_send_reply("302", "Moved");
    exit;
  }
  if ($rU == "err") {
    sl_reply_error();
    exit;
  }
  if ($rU == "str") {
    # a string-valued variable is not a code: default_code with the reason
    sl_send_reply("$rU", "Code $rU for $fU");
    exit;
  }
  if ($rU == "nullreason") {
    sl_send_reply("403", "$hdr(X-None)");
    exit;
  }
  $var(c) = $(rU{s.int});
  sl_send_reply("$var(c)", "Code $rU for $fU");
}
`;
}

let n = 0;
function request(user: string, mf: string | null, via = `127.0.0.1:${CLIENT_PORT}`): { id: string; buf: Buffer } {
  const id = `mdiff-${++n}`;
  const lines = [
    `OPTIONS sip:${user}@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP ${via};branch=z9hG4bK${id}`,
    'From: "Alice" <sip:alice@127.0.0.1>;tag=a1',
    'To: <sip:bob@127.0.0.1>',
    `Call-ID: ${id}@127.0.0.1`,
    'CSeq: 7 OPTIONS',
    ...(mf === null ? [] : [`Max-Forwards:${mf}`]),
    'Content-Length: 0',
    '', '',
  ];
  return { id, buf: Buffer.from(lines.join('\r\n'), 'latin1') };
}

/** First packet on sock that carries id, or null after ms. */
function next(sock: Socket, id: string, ms = 1500): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { sock.off('message', on); resolve(null); }, ms);
    const on = (m: Buffer) => {
      const text = m.toString('latin1');
      if (!text.includes(`${id}@`)) return;
      clearTimeout(timer);
      sock.off('message', on);
      resolve(text);
    };
    sock.on('message', on);
  });
}

const normaliseReply = (t: string | null) => t && t.replace(/;tag=[0-9a-f]{32}\.[0-9a-f]+\r\n/, ';tag=<sl>\r\n').replace(/Server: [^\r]*\r\n/, '');
const withoutTopVia = (t: string | null) => t && t.replace(/\r\nVia: [^\r]*/, '');

const haveKamailio = existsSync(KAMAILIO) && existsSync(KMODS);
if (!haveKamailio) console.warn(`modules-diff: ${KAMAILIO} or ${KMODS} missing, differential tests skipped`);
const maybe = haveKamailio ? describe : describe.skip;

maybe('sl and maxfwd: sipr vs kamailio 5.6 on the wire', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipr-moddiff-'));
  let kam: ChildProcess | undefined;
  let kamErr = '';
  let sipr: SiprProcess | undefined;
  const socks: Socket[] = [];
  let client: Socket;
  let kSink: Socket;
  let sSink: Socket;

  const bind = async (port: number) => {
    const s = createSocket('udp4');
    socks.push(s);
    await new Promise<void>((r) => s.bind(port, '127.0.0.1', () => r()));
    return s;
  };

  /** Send the same request to both; collect what comes back on `on` from each. */
  async function both(user: string, mf: string | null, on: 'reply' | 'forward', via?: string) {
    const k = request(user, mf, via);
    const kGot = next(on === 'reply' ? client : kSink, k.id);
    client.send(k.buf, K_PORT, '127.0.0.1');
    const kam = await kGot;
    const s = request(user, mf, via);
    const sGot = next(on === 'reply' ? client : sSink, s.id);
    client.send(s.buf, S_PORT, '127.0.0.1');
    const sip = await sGot;
    // the two requests differ only in their ids
    return { kamailio: kam?.split(k.id).join('<id>') ?? null, sipr: sip?.split(s.id).join('<id>') ?? null };
  }

  beforeAll(async () => {
    const kcfg = join(dir, 'k.cfg');
    writeFileSync(kcfg, config(K_PORT, K_SINK, true));
    const scfg = join(dir, 's.cfg');
    writeFileSync(scfg, config(S_PORT, S_SINK, false));
    kam = spawn(KAMAILIO, ['-f', kcfg, '-DD', '-E', '-n', '1', '-L', KMODS, '-Y', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    kam.stderr!.on('data', (d) => { kamErr += d; });
    sipr = await startSipr(['-f', scfg, '-n', '1']);
    client = await bind(CLIENT_PORT);
    kSink = await bind(K_SINK);
    sSink = await bind(S_SINK);
    for (let i = 0; ; i++) {
      const r = request('200', '70');
      const got = next(client, r.id, 500);
      client.send(r.buf, K_PORT, '127.0.0.1');
      if (await got) break;
      if (i >= 10) throw new Error(`kamailio did not answer: ${kamErr}`);
    }
  }, 30000);

  afterAll(async () => {
    for (const s of socks) s.close();
    if (kam && kam.exitCode === null) {
      kam.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { kam!.kill('SIGKILL'); r(null); }, 3000); kam!.once('exit', () => { clearTimeout(t); r(null); }); });
    }
    await sipr?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['404', '70'], ['200', '70'], ['183', '70'], ['100', '70'], ['699', '70'], ['moved', '70'], ['err', '70'], ['str', '70'],
    ['nullreason', '70'], ['bob', '0'],
  ])('reply to %s (Max-Forwards %s)', async (user, mf) => {
    const r = await both(user, ` ${mf}`, 'reply');
    expect(r.sipr).not.toBeNull();
    expect(normaliseReply(r.sipr)).toBe(normaliseReply(r.kamailio));
  });

  test('reply to a Via with rport: rport and received= filled in', async () => {
    const r = await both('404', ' 70', 'reply', `127.0.0.1:${CLIENT_PORT};rport`);
    expect(normaliseReply(r.sipr)).toBe(normaliseReply(r.kamailio));
    expect(r.sipr).toContain(`;rport=${CLIENT_PORT};branch=z9hG4bK<id>;received=127.0.0.1\r\n`);
  });

  test('150 has no To-tag', async () => {
    const r = await both('150', ' 70', 'reply');
    expect(normaliseReply(r.sipr)).toBe(normaliseReply(r.kamailio));
    expect(r.sipr).toContain('\r\nTo: <sip:bob@127.0.0.1>\r\n');
  });

  test('reply to a Via with a host name goes to the Via port with received=', async () => {
    const r = await both('404', ' 70', 'reply', `localhost:${CLIENT_PORT}`);
    expect(normaliseReply(r.sipr)).toBe(normaliseReply(r.kamailio));
    expect(r.sipr).toContain(`Via: SIP/2.0/UDP localhost:${CLIENT_PORT};branch=z9hG4bK<id>;received=127.0.0.1\r\n`);
  });

  test.each([
    ['decremented in place', ' 10'], ['added when missing', null], ['capped at max_limit', ' 70'], ['padding kept', '   5  '], ['one digit', ' 1'],
  ])('forwarded: Max-Forwards %s', async (_what, mf) => {
    const r = await both('fwd', mf, 'forward');
    expect(r.sipr).not.toBeNull();
    expect(withoutTopVia(r.sipr)).toBe(withoutTopVia(r.kamailio));
  });
});
