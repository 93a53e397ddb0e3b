/**
 * The core routing modules against Debian's kamailio 5.6: one config runs in both, the same
 * requests go to each, and replies (To-tag value and Server header aside) and forwarded requests
 * (each proxy's own top Via aside) must be byte-equal. Values that only show in the routing
 * state are written into the reply's reason text. Ports 20200-20209. Skipped without kamailio.
 */
import type { Socket } from 'node:dgram';
import { describeWithKamailio, KamailioDiff, mask, sendAndWait, withoutSlTag, withoutTopVia } from './helpers/kamailio';

const K_PORT = 20201;
const S_PORT = 20202;
const CLIENT_PORT = 20203;
const K_SINK = 20204;
const S_SINK = 20205;

function config(port: number, sink: number): string {
  return `#!KAMAILIO
listen=udp:127.0.0.1:${port}
loadmodule "pv"
loadmodule "sl"
loadmodule "rr"
loadmodule "textops"
loadmodule "textopsx"
loadmodule "siputils"
loadmodule "sanity"
loadmodule "kex"
loadmodule "htable"
loadmodule "xlog"
modparam("rr", "append_fromtag", 1)
modparam("sanity", "autodrop", 0)
modparam("htable", "htable", "t=>size=4;initval=0;")

request_route {
  if (method == "ACK") exit;
  if ($rU == "sanity") {
    if (!sanity_check("3047", "7")) exit;
    sl_send_reply("200", "sane");
    exit;
  }
  if ($rU == "rr") {
    record_route();
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "rrparam") {
    add_rr_param(";p=1");
    record_route();
    add_rr_param(";q=2");
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "preset") {
    record_route_preset("10.9.9.9:7777;x=1");
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "frport") {
    force_rport();
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "rbody") {
    set_reply_body("hello $rU", "text/plain");
    append_to_reply("X-After: 1\r\n");
    sl_send_reply("200", "with body");
    exit;
  }
  if ($rU == "frportreply") {
    force_rport();
    sl_send_reply("200", "forced");
    exit;
  }
  if ($hdr(X-Case) == "lr") {
    if (loose_route()) $var(r) = "t"; else $var(r) = "f";
    append_hf("X-Result: $var(r) du=$du\\r\\n");
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "text") {
    remove_hf("User-Agent");
    replace("tag=a1", "tag=b2");
    search_append("^CSeq: [0-9]+", "0");
    subst('/^(Call-ID: )([^@]+)@/\\1x-\\2@/');
    append_hf("X-App: $rU\\r\\n", "From");
    insert_hf("X-Ins: 1\\r\\n");
    append_hf("X-Last: $si\\r\\n");
    append_urihf("X-Uri: <", ">\\r\\n");
    if (is_present_hf("X-App")) $var(p) = "y"; else $var(p) = "n";
    append_hf("X-Present: $var(p)\\r\\n");
    subst_hf("From", "/Alice/Bob/", "a");
    if (search_hf("Via", "branch=z9hG4bK", "f")) append_hf("X-Hf: 1\\r\\n");
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "ruri") {
    subst_uri('/^sip:ruri@([^;]+)/sip:ruri2@\\1/');
    subst_user('/^ruri2$/r3/');
    add_uri_param("nat=yes");
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "body") {
    replace_body_all("10\\.0\\.0\\.1", "192.168.200.201");
    replace_body_atonce("m=audio [0-9]+", "m=audio 5000");
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "nobody") {
    remove_body();
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "multi") {
    filter_body("application/sdp");
    forward("127.0.0.1", ${sink});
    exit;
  }
  if ($rU == "strings") {
    $var(o) = "";
    if (in_list("$fU", "bob, alice ,carol", ",")) $var(o) = $var(o) + "l";
    if (in_list("$fU", "bob,carol", ",")) $var(o) = $var(o) + "L";
    if (cmp_str("$rU", "strings")) $var(o) = $var(o) + "c";
    if (cmp_istr("$rU", "STRINGS")) $var(o) = $var(o) + "i";
    if (starts_with("$ru", "sip:str")) $var(o) = $var(o) + "s";
    if (has_body("application/sdp")) $var(o) = $var(o) + "b";
    if (is_present_hf_re("^X-C")) $var(o) = $var(o) + "r";
    sl_send_reply("200", "o=$var(o)");
    exit;
  }
  if ($rU == "hold") {
    $var(o) = "";
    if (is_audio_on_hold()) $var(o) = $var(o) + "H";
    if (is_privacy("id")) $var(o) = $var(o) + "P";
    if (is_privacy("session")) $var(o) = $var(o) + "S";
    sl_send_reply("200", "o=$var(o)");
    exit;
  }
  if ($rU == "xlog") {
    $var(i) = 5;
    xlog("L_ERR", "XL $rm $rU $fU $fd $ci $cs $var(i) [$hdr(X-Case)] [$hdr(X-None)] $null\\n");
    xlog("L_WARN", "XL warn $si\\n");
    xlog("L_DBG", "XL debug hidden\\n");
    xlogl("L_ERR", "XL line\\n");
    xlog("XL default level\\n");
    sl_send_reply("200", "logged");
    exit;
  }
  if ($rU == "tests") {
    $var(o) = "";
    if (is_method("OPTIONS|INFO")) $var(o) = $var(o) + "m";
    if (has_body()) $var(o) = $var(o) + "b";
    if (has_totag()) $var(o) = $var(o) + "t";
    if (uri_param("lr")) $var(o) = $var(o) + "l";
    if (uri_param("transport", "tcp")) $var(o) = $var(o) + "T";
    $var(e) = "+4930123";
    $var(eu) = "sip:+4930123@x";
    if (is_e164("$var(e)")) $var(o) = $var(o) + "e";
    if (is_uri_user_e164("$var(eu)")) $var(o) = $var(o) + "E";
    if (search("^x-case:")) $var(o) = $var(o) + "s";
    tel2sip("tel:+1-(201)-555.0123;Phone-Context=X", "sip.example.net", "$var(tel)");
    setsflag(3); if (issflagset(3)) $var(o) = $var(o) + "f";
    setbflag(2); if (isbflagset(2)) $var(o) = $var(o) + "B";
    setdsturi("sip:10.1.1.1:5070"); if (isdsturiset()) $var(o) = $var(o) + "d";
    pv_printf("$var(pf)", "$rm-$fU");
    $var(n) = $shtinc(t=>n); $var(n) = $shtinc(t=>n);
    append_to_reply("X-Tel: $var(tel)\\r\\nX-Pf: $var(pf)\\r\\n");
    sl_send_reply("200", "o=$var(o) n=$var(n) bf=$bf du=$du");
    exit;
  }
  sl_send_reply("404", "unknown case");
}
`;
}

let n = 0;
function request(o: { method?: string; ruri: string; extra?: string; body?: string; toTag?: string; cseq?: string; ctype?: string }): { id: string; buf: Buffer } {
  const id = `modsdiff-${++n}`;
  const method = o.method ?? 'OPTIONS';
  const body = o.body ?? '';
  const text = `${method} ${o.ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT};branch=z9hG4bK${id}\r\n`
    + `From: "Alice" <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:bob@127.0.0.1>${o.toTag ?? ''}\r\nCall-ID: ${id}@127.0.0.1\r\n`
    + `CSeq: ${o.cseq ?? '7'} ${method}\r\nMax-Forwards: 70\r\nUser-Agent: test\r\n${o.extra ?? ''}${body ? `Content-Type: ${o.ctype ?? 'application/sdp'}\r\n` : ''}`
    + `Content-Length: ${body.length}\r\n\r\n${body}`;
  return { id, buf: Buffer.from(text, 'latin1') };
}

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

describeWithKamailio('mods-diff')('routing modules: sipr vs kamailio 5.6 on the wire', () => {
  const diff = new KamailioDiff();
  let client: Socket;
  let kSink: Socket;
  let sSink: Socket;

  /** The same request (R-URI host and port adapted) to both; what comes back on `on` from each. */
  async function both(req: (port: number) => Parameters<typeof request>[0], on: 'reply' | 'forward') {
    const run = async (port: number, sink: Socket) => {
      const r = request(req(port));
      const got = await sendAndWait(client, r.buf, port, r.id, 1500, on === 'reply' ? client : sink);
      return got && mask(got, [[r.id, '<id>'], [port, '<port>']]);
    };
    const kamailio = await run(K_PORT, kSink);
    const sipr = await run(S_PORT, sSink);
    return { kamailio, sipr };
  }

  beforeAll(async () => {
    await diff.start(config(K_PORT, K_SINK), config(S_PORT, S_SINK));
    client = await diff.udp(CLIENT_PORT);
    kSink = await diff.udp(K_SINK);
    sSink = await diff.udp(S_SINK);
    await diff.untilKamailioAnswers(() => {
      const r = request({ ruri: `sip:ping@127.0.0.1:${K_PORT}` });
      return sendAndWait(client, r.buf, K_PORT, r.id, 500);
    }, 11);
  }, 30000);

  afterAll(() => diff.stop());

  test.each([
    ['record_route', 'rr'], ['add_rr_param before and after record_route', 'rrparam'], ['record_route_preset', 'preset'],
    ['textops header edits', 'text'], ['subst_uri, subst_user, add_uri_param', 'ruri'], ['force_rport()', 'frport'],
  ])('forwarded after %s', async (_what, user) => {
    const r = await both((p) => ({ ruri: `sip:${user}@127.0.0.1:${p}` }), 'forward');
    expect(r.sipr).not.toBeNull();
    expect(withoutTopVia(r.sipr)).toBe(withoutTopVia(r.kamailio));
  });

  test('force_rport() in the script: the reply carries rport= of the source port', async () => {
    const r = await both((p) => ({ ruri: `sip:frportreply@127.0.0.1:${p}` }), 'reply');
    expect(r.sipr).toContain(`;rport=${CLIENT_PORT}\r\n`);
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
  });

  test('set_reply_body with append_to_reply: body, Content-Type and header order in the reply', async () => {
    const r = await both((p) => ({ ruri: `sip:rbody@127.0.0.1:${p}` }), 'reply');
    expect(r.sipr).toMatch(/\r\nContent-Length: 11\r\n\r\nhello rbody$/);
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
  });

  test.each([['replace_body_all', 'body'], ['remove_body', 'nobody']])('forwarded after %s (Content-Length follows)', async (_what, user) => {
    const r = await both((p) => ({ method: 'INVITE', ruri: `sip:${user}@127.0.0.1:${p}`, body: SDP }), 'forward');
    expect(r.sipr).not.toBeNull();
    expect(withoutTopVia(r.sipr)).toBe(withoutTopVia(r.kamailio));
  });

  test.each([
    ['own entry first of two in one field', 'sip:lr@10.0.0.99', (p: number) => `Route: <sip:127.0.0.1:${p};lr;ftag=a1>, <sip:10.0.0.5;lr>\r\n`],
    ['strict next hop', 'sip:lr@10.0.0.99', (p: number) => `Route: <sip:127.0.0.1:${p};lr>\r\nRoute: <sip:10.0.0.5>\r\n`],
    ['foreign Route', 'sip:lr@10.0.0.99', () => 'Route: <sip:10.0.0.5;lr>\r\n'],
    ['double Record-Route entries', 'sip:lr@10.0.0.99', (p: number) => `Route: <sip:127.0.0.1:${p};r2=on;lr>,<sip:127.0.0.1:${p};r2=on;lr>,<sip:10.0.0.7;lr>\r\n`],
    ['strict previous hop', 'STRICT', () => 'Route: <sip:10.0.0.8;lr>, <sip:final@10.0.0.9>\r\n'],
  ])('loose_route: %s', async (_what, ruri, route) => {
    const r = await both((p) => ({
      method: 'BYE', ruri: ruri === 'STRICT' ? `sip:127.0.0.1:${p};lr` : ruri, toTag: ';tag=tt', extra: `X-Case: lr\r\n${route(p)}`,
    }), 'forward');
    expect(r.sipr).not.toBeNull();
    expect(withoutTopVia(r.sipr)).toBe(withoutTopVia(r.kamailio));
  });

  test.each([
    ['a good request', '', '7'],
    ['an illegal Expires', 'Expires: soon\r\n', '7'],
    ['an unsupported Proxy-Require', 'Proxy-Require: foo\r\n', '7'],
    ['the CSeq number 4294967296 (accepted, as kamailio does)', '', '4294967296'],
    ['a CSeq number that is too big', '', '4294967297'],
  ])('sanity_check on %s', async (_what, extra, cseq) => {
    const r = await both((p) => ({ ruri: `sip:sanity@127.0.0.1:${p}`, extra, cseq }), 'reply');
    expect(r.sipr).not.toBeNull();
    // 3.x answers 420 "Bad Extension" (RFC 3261's phrase); later releases reworded it
    const k = r.kamailio?.replace('SIP/2.0 420 Bad Proxy Require Extension', 'SIP/2.0 420 Bad Extension') ?? null;
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(k));
  });

  test.each([['held', 'a=sendonly\r\n', 'o=HP'], ['not held', 'a=sendrecv\r\n', 'o=P']])('is_audio_on_hold and is_privacy: %s', async (_what, attr, reason) => {
    const r = await both((p) => ({ method: 'INVITE', ruri: `sip:hold@127.0.0.1:${p}`, body: SDP + attr, extra: 'Privacy: id\r\n' }), 'reply');
    expect(r.sipr?.split('\r\n')[0]).toBe(`SIP/2.0 200 ${reason}`);
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
  });

  test('filter_body keeps the SDP part of a multipart body', async () => {
    const mp = '--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: application/sdp\r\n\r\n' + SDP + '--b1--\r\n';
    const r = await both((p) => ({ method: 'INVITE', ruri: `sip:multi@127.0.0.1:${p}`, ctype: 'multipart/mixed;boundary=b1', body: mp }), 'forward');
    expect(r.sipr).not.toBeNull();
    expect(withoutTopVia(r.sipr)).toBe(withoutTopVia(r.kamailio));
  });

  test('string tests and has_body give the same answers', async () => {
    const r = await both((p) => ({ method: 'INVITE', ruri: `sip:strings@127.0.0.1:${p}`, body: SDP, extra: 'X-Case: s\r\n' }), 'reply');
    expect(r.sipr?.split('\r\n')[0]).toBe('SIP/2.0 200 o=lcisbr');
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
  });

  test('xlog lines read the same (level, prefix, PVs, missing values, xlogl line number)', async () => {
    const mark = (t: string) => t.split('\n').filter((l) => /<script>: (\d+:)?XL/.test(l));
    const kBefore = mark(diff.kamailio!.stderr).length;
    const sBefore = mark(diff.sipr!.stderr).length;
    const r = await both((p) => ({ ruri: `sip:xlog@127.0.0.1:${p}`, extra: 'X-Case: x\r\n' }), 'reply');
    expect(r.sipr).not.toBeNull();
    await new Promise((res) => setTimeout(res, 200));
    const norm = (lines: string[]) => lines.map((l) => l.replace(/^.*?(ERROR|WARNING|DEBUG|INFO|NOTICE): <script>: /, '$1: ').replace(/modsdiff-\d+/g, '<id>').replace(/:\d{5}\b/g, ':<port>'));
    const k = norm(mark(diff.kamailio!.stderr).slice(kBefore));
    const sp = norm(mark(diff.sipr!.stderr).slice(sBefore));
    expect(k.length).toBe(4);
    expect(sp).toEqual(k);
  });

  test('checks, flags, tel2sip, pv_printf, htable and append_to_reply give the same reply', async () => {
    const r = await both((p) => ({ ruri: `sip:tests@127.0.0.1:${p};lr;transport=tcp`, toTag: ';tag=x', extra: 'X-Case: t\r\n' }), 'reply');
    expect(r.sipr).not.toBeNull();
    expect(withoutSlTag(r.sipr)).toBe(withoutSlTag(r.kamailio));
    expect(r.sipr).toMatch(/^SIP\/2\.0 200 o=mtlTeEsfBd n=2 bf=4 du=sip:10\.1\.1\.1:5070\r\n/);
  });
});
