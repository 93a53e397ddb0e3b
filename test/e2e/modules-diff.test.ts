/**
 * sl and maxfwd against Debian's kamailio 5.6: one config runs in both; the same requests go to
 * each; replies must be byte-equal except the To-tag value and Kamailio's Server header, and
 * forwarded requests (maxfwd's Max-Forwards rewrite) equal except each proxy's own top Via.
 * Ports 17060-17065. Skipped without kamailio.
 */
import type { Socket } from 'node:dgram';
import { describeWithKamailio, KamailioDiff, mask, sendAndWait, withoutSlTag, withoutTopVia } from './helpers/kamailio';

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

describeWithKamailio('modules-diff')('sl and maxfwd: sipr vs kamailio 5.6 on the wire', () => {
  const diff = new KamailioDiff();
  let client: Socket;
  let kSink: Socket;
  let sSink: Socket;

  /** Send the same request to both; collect what comes back on `on` from each. */
  async function both(user: string, mf: string | null, on: 'reply' | 'forward', via?: string) {
    const run = async (port: number, sink: Socket) => {
      const r = request(user, mf, via);
      const got = await sendAndWait(client, r.buf, port, `${r.id}@`, 1500, on === 'reply' ? client : sink);
      // the two requests differ only in their ids
      return got && mask(got, [[r.id, '<id>']]);
    };
    return { kamailio: await run(K_PORT, kSink), sipr: await run(S_PORT, sSink) };
  }

  beforeAll(async () => {
    await diff.start(config(K_PORT, K_SINK, true), config(S_PORT, S_SINK, false));
    client = await diff.udp(CLIENT_PORT);
    kSink = await diff.udp(K_SINK);
    sSink = await diff.udp(S_SINK);
    await diff.untilKamailioAnswers(() => {
      const r = request('200', '70');
      return sendAndWait(client, r.buf, K_PORT, `${r.id}@`, 500);
    }, 11);
  }, 30000);

  afterAll(() => diff.stop());

  test.each([
    ['404', '70'], ['200', '70'], ['183', '70'], ['100', '70'], ['699', '70'], ['moved', '70'], ['err', '70'], ['str', '70'],
    ['nullreason', '70'], ['bob', '0'],
  ])('reply to %s (Max-Forwards %s)', async (user, mf) => {
    const r = await both(user, ` ${mf}`, 'reply');
    expect(r.sipr).not.toBeNull();
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
  });

  test('reply to a Via with rport: rport and received= filled in', async () => {
    const r = await both('404', ' 70', 'reply', `127.0.0.1:${CLIENT_PORT};rport`);
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
    expect(r.sipr).toContain(`;rport=${CLIENT_PORT};branch=z9hG4bK<id>;received=127.0.0.1\r\n`);
  });

  test('150 has no To-tag', async () => {
    const r = await both('150', ' 70', 'reply');
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
    expect(r.sipr).toContain('\r\nTo: <sip:bob@127.0.0.1>\r\n');
  });

  test('reply to a Via with a host name goes to the Via port with received=', async () => {
    const r = await both('404', ' 70', 'reply', `localhost:${CLIENT_PORT}`);
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
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
