/**
 * Differential test of the config language against Debian's kamailio 5.6: the same config runs in
 * both, every expression result is written into the reply's reason text, and the replies must
 * match (and match the values cfg-language.md gives). Ports 18060-18069. Skipped without kamailio.
 * Not compared: `return 0` in a sub-route, which stops the script in kamailio 5.x but is only
 * "false" in 3.0 (sipr follows 3.0; see docs/config.md).
 */
import type { Socket } from 'node:dgram';
import { arrived, describeWithKamailio, KamailioDiff, sendAndWait } from './helpers/kamailio';

const K_PORT = 18061;
const S_PORT = 18062;
const CLIENT_PORT = 18063;

/** [expression, value from cfg-language.md] — each is also compared with kamailio. */
const CASES: [string, string][] = [
  ['"a" + 1', 'a1'],
  ['$var(three) + 1', '31'],
  ['$var(n3) + 1', '4'],
  ['(int)"12a"', '0'],
  ['(int)"-7"', '-7'],
  ['(str)5 + 1', '51'],
  ['7 / 2', '3'],
  ['-7 / 2', '-3'],
  ['-7 mod 3', '-1'],
  ['6 & 3', '2'],
  ['1 | 2 & 0', '1'],
  ['7 - 2 * 3', '1'],
  ['$var(zero) == ""', '0'],
  ['$var(zero) eq ""', '0'],
  ['$var(sa) ieq $var(sb)', '1'],
  ['"abc" == "ABC"', '0'],
  ['"sip:Bob@x" =~ "^SIP:bob"', '1'],
  ['-1 && 1', '1'],
  ['!-5', '0'],
  ['!1 == 0', '1'],
  ['strlen("abcd")', '4'],
  ['strempty("")', '1'],
  ['defined $avp(nosuch)', '0'],
  ['010', '8'],
  ['0x1F', '31'],
  ['$cs + 1', '11'],
  ['$cs > 0', '1'],
  ['$null == 0', '1'],
  ['$rm == "options"', '0'],
  ['$null + 1', '1'],
  ['$var(zero) + "a"', '0'],
  ['$var(sa) + 2', 'a2'],
  ['$var(three) * 2', '6'],
  ['$var(three) == 3', '1'],
  ['$var(n3) == "3"', '1'],
  ['$var(sa) == 0', '0'],
  ['-$var(three)', '-3'],
  ['!$var(sa)', '1'],
  ['$var(sa) > 0', '0'],
  ['strlen($var(n3))', '1'],
  ['(str)$var(n3) + 1', '31'],
  ['$var(n3) / $var(zero)', '31'],
  ['$var(sa) =~ "A"', '1'],
  ['$var(big) + 1', '-2147483648'],
  ['$var(three) + $var(n3)', '33'],
  ['defined $var(sa)', '1'],
  ['defined $hdr(X-None)', '0'],
  ['$hdr(X-None) == ""', '1'],
  ['$hdr(X-None) == $null', '1'],
  ['(int)$hdr(CSeq)', '0'],
  ['"abc" + 1 + 2', 'abc12'],
  ['$var(sa) + 1 + 2', 'a12'],
  ['$var(n3) + 1 + 2', '6'],
  ['$var(n3) - 1 - 1', '1'],
  ['7 mod -3', '1'],
  ['-7 mod -3', '-1'],
  ['$var(sa) && 1', '0'],
  ['$var(n3) && 1', '3'],
  ['$var(n3) || 0', '3'],
  ['$var(n3) * 1', '3'],
  ['$var(sa) | 0', '0'],
  ['0 + $var(sa)', '0'],
  ['$var(sa) + 0', 'a0'],
  ['"" + $var(n3)', '3'],
  ['"" == $var(zero)', '0'],
  ['$var(zero) != ""', '0'],
];

const BODY = CASES.map(([e]) => `  $var(r) = ${e}; $var(out) = $var(out) + "," + $var(r);`).join('\n');

function config(port: number): string {
  return `#!KAMAILIO
listen=udp:127.0.0.1:${port}
max_while_loops=5
loadmodule "pv"
loadmodule "sl"
flags FA: 3, FB, FC;
#!define VAL 41
#!trydef VAL 1
#!define TWO 2
#!redefine TWO 3
#!substdef "!SUBSTX!subst-ok!g"
!!define BANG "bang"
#!ifdef VAL
#!define HAVE_VAL
#!endif

route[r3] { return 3; }
route[ifnoelse] { if (0 == 1) drop; }
route[assign] { $var(q) = 1; }
route[flagneg] { isflagset(30); }
route[swnomatch] { switch ($var(n3)) { case 2: drop; } }
route[whilenone] { while ($var(q) < 0) { $var(q) = 1; } }
route[brk] { break; }
route[nested] { route(flagneg); }
route[retexpr] { return $var(n3) + 4; }
route[wl] { $var(c) = 0; while ($var(c) < 100) { $var(c) = $var(c) + 1; } }
route[rneg] { return -2; }
route[sw] {
  switch ($var(k)) {
    case 1: $var(out) = $var(out) + "one";
    case 2: $var(out) = $var(out) + "two"; break;
    default: $var(out) = $var(out) + "def";
    case 3: $var(out) = $var(out) + "three";
  }
}

request_route {
  if (method == "ACK") exit;
  if ($rU == "expr") {
    $var(out) = "";
    $var(three) = "3";
    $var(n3) = 3;
    $var(zero) = 0;
    $var(sa) = "a";
    $var(sb) = "b";
    $var(big) = 2147483647;
${BODY}
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "flow") {
    $var(out) = "rc" + $rc + ";";
    $var(k) = 1; route(sw); $var(out) = $var(out) + ";";
    $var(k) = 9; route(sw); $var(out) = $var(out) + ";";
    switch ($rm) { case /"^OPT": $var(out) = $var(out) + "re"; case "X": $var(out) = $var(out) + "x"; break; default: $var(out) = $var(out) + "d"; }
    switch ($var(undef)) { case 0: $var(out) = $var(out) + "z"; break; default: $var(out) = $var(out) + "D"; }
    switch ($rm) { case /"^opt": $var(out) = $var(out) + "ci"; break; default: $var(out) = $var(out) + "cs"; }
    $var(n3) = 3;
    switch ($var(n3)) { case "3": $var(out) = $var(out) + "s3"; break; default: $var(out) = $var(out) + "sd"; }
    switch ("12a") { case 12: $var(out) = $var(out) + "12"; break; case 0: $var(out) = $var(out) + "i0"; break; default: $var(out) = $var(out) + "id"; }
    $var(zero) = 0;
    if ($var(n3) / $var(zero)) $var(out) = $var(out) + "T"; else $var(out) = $var(out) + "F";
    if (!($var(n3) / $var(zero))) $var(out) = $var(out) + "T"; else $var(out) = $var(out) + "F";
    $var(i) = 0;
    while ($var(i) < 10) { $var(i) = $var(i) + 1; if ($var(i) == 4) break; }
    route(r3); $var(a) = $rc;
    route(rneg); $var(b) = $rc;
    if (route(rneg)) $var(c) = "t"; else $var(c) = "f";
    $var(out) = $var(out) + ";i=" + $var(i) + ";rc=" + $var(a) + "," + $var(b) + "," + $var(c);
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "kw") {
    $var(out) = "";
    if (method == OPTIONS) $var(out) = $var(out) + "m";
    if (method == "options") $var(out) = $var(out) + "M";
    if (uri == myself) $var(out) = $var(out) + "u";
    if (src_ip == 127.0.0.0/8) $var(out) = $var(out) + "s";
    if (src_ip == 10.0.0.0/8) $var(out) = $var(out) + "X";
    if (dst_port > 1000) $var(out) = $var(out) + "p";
    if (proto == UDP) $var(out) = $var(out) + "U";
    if (from_uri =~ "^sip:alice@") $var(out) = $var(out) + "f";
    if (to_uri == myself) $var(out) = $var(out) + "T";
    if (dst_ip == myself) $var(out) = $var(out) + "d";
    if (msg:len > 100) $var(out) = $var(out) + "l";
    if (af == INET6) $var(out) = $var(out) + "6";
    if (method =~ "^opt") $var(out) = $var(out) + "o";
    if (uri =~ "^SIP:KW@") $var(out) = $var(out) + "k";
    if (myself == uri) $var(out) = $var(out) + "y";
    if (src_ip != 127.0.0.1) $var(out) = $var(out) + "!";
    rewritehost("localhost");
    if (uri == myself) $var(out) = $var(out) + "L";
    setport("1");
    if (uri != myself) $var(out) = $var(out) + "n";
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "rcs") {
    $var(n3) = 3;
    $var(out) = "";
    route(ifnoelse); $var(out) = $var(out) + $rc + ",";
    route(assign); $var(out) = $var(out) + $rc + ",";
    route(flagneg); $var(out) = $var(out) + $rc + ",";
    route(swnomatch); $var(out) = $var(out) + $rc + ",";
    route(whilenone); $var(out) = $var(out) + $rc + ",";
    route(r3); route(brk); $var(out) = $var(out) + $rc + ",";
    route(nested); $var(out) = $var(out) + $rc + ",";
    route(retexpr); $var(out) = $var(out) + $rc + ",";
    route(wl); $var(out) = $var(out) + $rc + ":" + $var(c);
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "pp") {
    $var(out) = "v" + (VAL + 1);
    $var(out) = $var(out) + "," + TWO + ",SUBSTX," + BANG;
#!ifdef HAVE_VAL
    $var(out) = $var(out) + ",have";
#!else
    $var(out) = $var(out) + ",none";
#!endif
#!ifndef NOPE
    $var(out) = $var(out) + ",nope";
#!endif
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "uri") {
    $var(out) = "";
    prefix("00"); $var(out) = $var(out) + $ru + "|";
    strip(3); $var(out) = $var(out) + $ru + "|";
    strip_tail(1); $var(out) = $var(out) + $ru + "|";
    sethost("example.org"); $var(out) = $var(out) + $ru + "|";
    sethostport("10.0.0.1:5070"); $var(out) = $var(out) + $ru + "|";
    setuserpass("u:p"); $var(out) = $var(out) + $ru + "|";
    setport("5080"); $var(out) = $var(out) + $ru + "|";
    userphone(); $var(out) = $var(out) + $ru + "|";
    revert_uri(); $var(out) = $var(out) + $ru;
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "rport") {
    force_rport();
    sl_send_reply("200", "rport");
    exit;
  }
  if ($rU == "uri3") {
    $ru = "sip:abc@h"; strip(5); $var(out) = $ru;
    $ru = "sip:abc@h"; strip_tail(9); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x@h:5"; setp(""); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x:pw@h"; setuserpass("u"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x@h;lr?X=1"; sethost("g"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sips:x@h"; setp("5070"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x@h"; strip(0); $var(out) = $var(out) + "|" + $ru;
    $ru = "tel:+123"; $var(out) = $var(out) + "|" + $ru;
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "uri2") {
    $ru = "sip:x@h:1;transport=udp;foo=bar"; sethpt("1.2.3.4:5080"); $var(out) = $ru;
    $ru = "sip:x@h:1;transport=udp;foo=bar"; sethpt("1.2.3.4"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x@h:1;foo=bar"; sethp("1.2.3.4"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x@h:1;transport=udp"; sethp("[::1]:7"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x:pw@h"; setu("u2"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x@h"; setu(""); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:h"; prefix("1"); $var(out) = $var(out) + "|" + $ru;
    $ru = "sip:x@h;user=phone"; userphone(); $var(out) = $var(out) + "|" + $ru;
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  if ($rU == "seravp") {
    route(seravp);
    exit;
  }
  if ($rU == "flags") {
    $var(out) = "";
    setflag(FA); setflag(FB); setflag(7);
    if (isflagset(FA)) $var(out) = $var(out) + "a";
    if (isflagset(FB)) $var(out) = $var(out) + "b";
    if (isflagset(FC)) $var(out) = $var(out) + "c";
    resetflag(7);
    if (!isflagset(7)) $var(out) = $var(out) + "r";
    isflagset(9); $var(out) = $var(out) + "rc" + $rc;
    $var(out) = $var(out) + $mf;
    sl_send_reply("200", "r=$var(out)");
    exit;
  }
  sl_send_reply("404", "unknown case");
}

#!ALL
avpflags cookie, other;

route[seravp] {
  $fu.a = "u";
  $var(out) = $f.a;
  $fr.a = "r";
  $var(out) = $var(out) + "|" + $f.a + $fu.a + $avp(a);
  if (!defined $fd.a && !defined $g.a) $var(out) = $var(out) + "-nodg";
  $f.a = "n";
  $var(out) = $var(out) + "|" + $f.a + $fr.a + $fu.a;
  $fr.a = $null;
  $var(out) = $var(out) + "|" + $f.a + $fu.a;
  $tu.b = "tu"; $tr.b = "tr";
  $var(out) = $var(out) + "|" + $t.b + $tu.b;
  if (!defined $f.b) $var(out) = $var(out) + "-nofb";
  $x = "v";
  setavpflag($x, "cookie");
  if (isavpflagset($x, "cookie")) $var(out) = $var(out) + "|S";
  if (!isavpflagset("$x", "other")) $var(out) = $var(out) + "n";
  $avp(x) = "w";
  if (!isavpflagset($x, "cookie")) $var(out) = $var(out) + "2";
  $avp(x) = $null;
  if (isavpflagset($x, cookie)) $var(out) = $var(out) + "1";
  resetavpflag("x", "cookie");
  if (!isavpflagset("$f.x", "cookie")) $var(out) = $var(out) + "r";
  $tu.y = 1;
  if (setavpflag($tu.y, "other") && !isavpflagset($fu.y, "other")) $var(out) = $var(out) + "t";
  sl_send_reply("200", "r=$var(out)");
}
`;
}

function options(user: string, port: number, n: number): Buffer {
  return Buffer.from(
    `OPTIONS sip:${user}@127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT};branch=z9hG4bKcfgdiff${n}\r\n` +
      `From: <sip:alice@127.0.0.1>;tag=t${n}\r\nTo: <sip:${user}@127.0.0.1>\r\nCall-ID: cfgdiff-${n}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\n` +
      `Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
  );
}

let seq = 0;
const statusLine = (reply: string) => reply.split('\r\n')[0];

/** Send one OPTIONS and return the reply's status line (or what `pick` takes from the reply). */
async function ask(sock: Socket, user: string, port: number, pick = statusLine): Promise<string> {
  const n = ++seq;
  const reply = await sendAndWait(sock, options(user, port, n), port, `cfgdiff-${n}@`, 3000);
  return pick(arrived(reply, `reply from port ${port} for ${user}`));
}

describeWithKamailio('cfg-diff')('config language: sipr vs kamailio 5.6', () => {
  const diff = new KamailioDiff();
  let sock: Socket;

  beforeAll(async () => {
    await diff.start(config(K_PORT), config(S_PORT));
    sock = await diff.udp(CLIENT_PORT);
    await diff.untilKamailioAnswers(() => ask(sock, 'expr', K_PORT), 5);
  }, 30000);

  /** kamailio's answer; its log is part of the error when it does not answer */
  const askK = (user: string, pick = statusLine) => ask(sock, user, K_PORT, pick).catch((e: Error) => {
    throw new Error(`${e.message}\nkamailio log:\n${diff.kamailio!.stderr}`);
  });

  afterAll(() => diff.stop());

  test('expressions and conversions', async () => {
    const k = await askK('expr');
    const s = await ask(sock, 'expr', S_PORT);
    const want = 'SIP/2.0 200 r=,' + CASES.map(([, v]) => v).join(',');
    expect(s).toBe(k);
    expect(s).toBe(want);
  });

  test('switch fall-through, while/break, return codes', async () => {
    const k = await askK('flow');
    const s = await ask(sock, 'flow', S_PORT);
    expect(s).toBe(k);
    expect(s).toBe('SIP/2.0 200 r=rc0;onetwo;defthree;rexzcss3i0FF;i=4;rc=3,-2,f');
  });

  test('values of sub-routes ($rc after route())', async () => {
    const k = await askK('rcs');
    const s = await ask(sock, 'rcs', S_PORT);
    expect(s).toBe(k);
    // if without else, assignment, false core action, unmatched switch, loop not run, break, nested,
    // return expr, a loop stopped by max_while_loops
    expect(s).toBe('SIP/2.0 200 r=1,1,-1,1,1,0,-1,7,-1:5');
  });

  test('preprocessor: define values, trydef/redefine, substdef, !! spelling, nested conditionals', async () => {
    const k = await askK('pp');
    const s = await ask(sock, 'pp', S_PORT);
    expect(s).toBe(k);
    expect(s).toBe('SIP/2.0 200 r=v42,3,subst-ok,bang,have,nope');
  });

  test('R-URI rewriting actions', async () => {
    // the R-URI carries each server's own port
    const k = (await askK('uri')).split(`:${K_PORT}`).join(':PORT');
    const s = (await ask(sock, 'uri', S_PORT)).split(`:${S_PORT}`).join(':PORT');
    expect(s).toBe(k);
    expect(s).toBe(
      'SIP/2.0 200 r=sip:00uri@127.0.0.1:PORT|sip:ri@127.0.0.1:PORT|sip:r@127.0.0.1:PORT|sip:r@example.org:PORT|sip:r@10.0.0.1:5070|' +
        'sip:u:p@10.0.0.1:5070|sip:u:p@10.0.0.1:5080|sip:u:p@10.0.0.1:5080;user=phone|sip:uri@127.0.0.1:PORT',
    );
  });

  test('R-URI edits on crafted URIs (transport, IPv6, password, empty user)', async () => {
    const k = await askK('uri2');
    const s = await ask(sock, 'uri2', S_PORT);
    expect(s).toBe(k);
    expect(s).toBe(
      'SIP/2.0 200 r=sip:x@1.2.3.4:5080;foo=bar|sip:x@1.2.3.4;foo=bar|sip:x@1.2.3.4;foo=bar|sip:x@[::1]:7;transport=udp|' +
        'sip:u2:pw@h|sip:h|sip:1@h|sip:x@h;user=phone',
    );
  });

  test('R-URI edits at the edges (strip past the end, empty port, user without password, headers)', async () => {
    const k = await askK('uri3');
    const s = await ask(sock, 'uri3', S_PORT);
    expect(s).toBe(k);
    expect(s).toBe('SIP/2.0 200 r=sip:h|sip:h|sip:x@h|sip:u@h|sip:x@g;lr?X=1|sips:x@h:5070|sip:x@h|tel:+123');
  });

  test('force_rport(): the reply Via gets rport= like kamailio\'s', async () => {
    const via = (reply: string) => reply.split('\r\n').find((l) => l.startsWith('Via:')) ?? '';
    const k = (await askK('rport', via)).replace(/branch=z9hG4bKcfgdiff\d+/, 'branch=B');
    const s = (await ask(sock, 'rport', S_PORT, via)).replace(/branch=z9hG4bKcfgdiff\d+/, 'branch=B');
    expect(s).toBe(k);
    expect(s).toContain(`rport=${CLIENT_PORT}`);
  });

  test('named flags', async () => {
    const k = await askK('flags');
    const s = await ask(sock, 'flags', S_PORT);
    expect(s).toBe(k);
    // FB takes the first free bit (0), FA is bit 3
    expect(s).toBe('SIP/2.0 200 r=abrrc09');
  });

  test('SER AVP classes ($fr. $fu. $fd. $tu. $td. $g.) and avp flags', async () => {
    const k = await askK('seravp');
    const s = await ask(sock, 'seravp', S_PORT);
    expect(s).toBe(k);
    expect(s).toBe('SIP/2.0 200 r=u|rur-nodg|nnu|uu|trtu-nofb|Sn21rt');
  });

  test('core keyword conditions', async () => {
    const k = await askK('kw');
    const s = await ask(sock, 'kw', S_PORT);
    expect(s).toBe(k);
    expect(s).toBe('SIP/2.0 200 r=mMuspUfdlokyLn');
  });
});
