/**
 * Differential test of pseudo-variables, transformations and selects against Debian's kamailio
 * 5.6: the same config runs in both, each case's value is written into the reply's reason text,
 * and the replies must be equal. Values that depend on the process or the listening port ($Rp,
 * $pp, $mi, $Ts...) are left out. Ports 19060-19063. Skipped without kamailio.
 */
import type { Socket } from 'node:dgram';
import { arrived, describeWithKamailio, differingPieces, KamailioDiff, sendAndWait } from './helpers/kamailio';

const K_PORT = 19061;
const S_PORT = 19062;
const CLIENT_PORT = 19063;

/** Groups of format pieces; each group is one request whose reply reason joins them with '|'. */
const GROUPS: Record<string, string[]> = {
  msg: [
    '$ru', '$rU', '$rd', '$rp', '$rP', '$ou', '$oU', '$od', '$op', '$oP', '$du', '$fu', '$fU', '$fd', '$fn', '$ft',
    '$tu', '$tU', '$td', '$tn', '$tt', '$ci', '$cs', '$rm', '$rs', '$rr', '$ct', '$cT', '$cl', '$bs', '$ua',
    '$ai', '$pu', '$pU', '$pd', '$pn', '$re', '$di', '$dir', '$dip', '$rt', '$si', '$sp', '$Ri', '$pr', '$mf', '$mF',
    '$bF', '$sF', '$null', '$ds', '$br', '$bR', '$hdr(X-Multi)', '$(hdr(X-Multi)[1])', '$(hdr(X-Multi)[-1])',
    '$(hdr(X-Multi)[2])', '$hdr(f)', '$hdr(X-None)', '$branch(count)', '$snd(ip)', '$var(unset)', '$avp(unset)',
    '$(ruri.user)', '$(from.domain)', '$time(isdst)', '$rz', '$rv', '$hdrc(X-Multi)', '$hdrc(Via)', '$hdrc(None)', '$RAi', '$mt', '$conid',
  ],
  trans: [
    '$(hdr(X-Str){s.len})', '$(hdr(X-Str){s.md5})', '$(hdr(X-Str){s.substr,2,3})', '$(hdr(X-Str){s.substr,-3,0})',
    '$(hdr(X-Str){s.substr,-3,2})', '$(hdr(X-Str){s.substr,20,1})', '$(hdr(X-Str){s.select,1,:})',
    '$(hdr(X-Str){s.select,-1,:})', '$(hdr(X-Str){s.select,7,:})', '$(hdr(X-Str){s.encode.hexa})',
    '$(hdr(X-Hex){s.decode.hexa})', '$(hdr(X-Str){s.toupper})', '$(hdr(X-Str){s.tolower})',
    '$(hdr(X-Num){s.int})', '$(hdr(X-Str){s.int})', '$(hdr(X-Esc){s.escape.user})', '$(hdr(X-Esc){s.escape.param})',
    '$(hdr(X-Pct){s.unescape.user})', '$(hdr(X-Pct){s.unescape.param})', '$(hdr(X-Q){s.escape.common})',
    '$(ru{uri.user})', '$(ru{uri.host})', '$(ru{uri.port})', '$(ru{uri.params})', '$(ru{uri.param,user})',
    '$(ru{uri.param,nope})', '$(ru{uri.transport})', '$(ru{uri.uparam})', '$(ru{uri.lr})', '$(fu{uri.port})',
    '$(hdr(X-Params){param.value,b})', '$(hdr(X-Params){param.value,c})', '$(hdr(X-Params){param.value,z})',
    '$(hdr(X-Params){param.valueat,0})', '$(hdr(X-Params){param.valueat,9})', '$(hdr(X-Params){param.name,1})',
    '$(hdr(X-Params){param.count})', '$(hdr(From){nameaddr.name})', '$(hdr(From){nameaddr.uri})',
    '$(hdr(From){nameaddr.len})', '$(hdr(From){tobody.display})', '$(hdr(From){tobody.uri})',
    '$(hdr(From){tobody.tag})', '$(hdr(From){tobody.user})', '$(hdr(From){tobody.host})',
    '$(hdr(From){tobody.params})', '$(hdr(To){tobody.tag})', '$(hdr(To){nameaddr.name})', '$(ct{tobody.params})',
    '$(fu{uri.user}{s.toupper}{s.len})', '$(avp(unset){s.len})', '$(hdr(X-Str){s.int}{s.len})',
    '$(hdr(X-Num){s.strip,2})', '$(hdr(X-Num){s.striptail,2})', '$(hdr(X-Num){s.strip,9})', '$(hdr(X-Num){s.prefixes})',
    '$(hdr(X-Num){s.prefixes,2})', '$(hdr(X-Num){s.prefixes.quoted})', '$(hdr(X-Sp){s.trim})', '$(hdr(X-Sp){s.ltrim})',
    '$(hdr(X-Sp){s.rtrim})', '$(hdr(X-Q){s.escape.common}{s.unescape.common})', '$(hdr(X-Str){s.select,0,:}{s.tolower})',
    '$(hdr(X-Str){s.encode.base64})', '$(hdr(X-Str){s.encode.base64}{s.decode.base64})', '$(hdr(X-Sp){s.unquote})',
    '$(hdr(Refer-To){s.unbracket})', '$(hdr(X-Str){s.replace,:,--})', '$(hdr(X-Str){s.rm,:})', '$(hdr(X-Esc){s.numeric})',
    '$(hdr(X-Str){s.sha256})', '$(ru{uri.scheme})', '$(rb{line.count})', '$(rb{line.at,1})', '$(rb{line.at,-1})',
    '$(rb{line.sw,m=})', '$(hdr(X-Latin){s.len})', '$(hdr(X-Latin){s.escape.user})', '$(hdr(X-Latin){s.md5})',
    '$(hdr(X-Latin){s.toupper})', '$(hdr(X-Latin){s.tolower})', '$(hdr(X-Latin){s.encode.hexa})', '$(hdr(X-Latin){s.substr,3,2}{s.encode.hexa})',
  ],
  sel: [
    '$sel(ruri)', '$sel(ruri.user)', '$sel(ruri.host)', '$sel(ruri.port)', '$sel(ruri.params)', '$sel(from)',
    '$sel(from.uri)', '$sel(from.uri.user)', '$sel(from.tag)', '$sel(to.uri.host)',
    '$sel(via[1].branch)', '$sel(via[1].host)', '$sel(via[1].port)', '$sel(via[1].transport)', '$sel(v[1].rport)',
    '$sel(via[2].host)', '$sel(cseq.num)', '$sel(cseq.method)', '$sel(call_id)', '$sel(msg.header["X-Multi"])',
    '$sel(msg.h.X_Multi)', '$sel(msg.h.X_Multi[2])', '$sel(via[1].params["branch"])',
    '$sel(ruri.params["user"])', '$sel(ruri.params["lr"])', '$sel(from.params["x"])', '$sel(contact.params["q"])', '$sel(@method)', '$sel(src.ip)', '$sel(contact.uri)',
    '$sel(contact.uri.port)', '$sel(max_forwards)', '$sel(user_agent)', '$sel(msg.type)', '$sel(branch.count)',
  ],
  // sent as a REGISTER with compact header names, folded lines and odd spacing (see compactRequest)
  compact: [
    '$rm', '$ru', '$rU', '$rd', '$rp', '$fu', '$fU', '$fn', '$ft', '$tu', '$tn', '$tt', '$ci', '$cs', '$ct', '$cT', '$cl',
    '$hdr(f)', '$hdr(From)', '$hdr(v)', '$(hdr(v)[1])', '$hdr(m)', '$au', '$aU', '$ad', '$ar', '$adu',
    '$sel(from.uri.user)', '$sel(f.tag)', '$sel(t.name)', '$sel(v[1].branch)', '$sel(v[2].host)', '$sel(m.uri.host)',
    '$sel(m.expires)', '$sel(m.q)', '$sel(call_id)', '$sel(cseq.num)', '$sel(contact.params["+sip.instance"])',
    '$(hdr(m){tobody.params})', '$(hdr(m){nameaddr.uri}{uri.params})', '$(ct{param.value,expires})', '$hdrc(v)', '$hdrc(m)',
    '$sel(msg.first_line)', '$sel(msg.len)', '$sel(msg.flags)', '$sel(msg.request.method)', '$sel(msg.request.uri.host)',
    '$sel(msg.request.version)', '$sel(version)', '$sel(method)', '$sel(cseq)', '$sel(content_length)', '$sel(content_type)',
    '$sel(max_forwards)', '$sel(msg.body)', '$sel(ruri.hostport)', '$sel(ruri.port)', '$sel(from.uri.hostport)', '$sel(m.uri.hostport)', '$sel(next_hop)', '$sel(src.ip)', '$sel(received.proto)',
    '$sel(contact.instance)', '$sel(contact.methods)', '$sel(v[2].transport)', '$sel(v[2].branch)', '$sel(v[2].rport)',
  ],
  // sent as an OPTIONS to an IPv6 R-URI with escapes, a tel: To and upper-case names (see v6Request)
  v6: [
    '$ru', '$rU', '$rd', '$rp', '$rP', '$(ru{uri.host})', '$(ru{uri.user}{s.unescape.user})', '$sel(ruri.host)',
    '$sel(ruri.hostport)', '$sel(ruri.port)', '$tu', '$tU', '$td', '$(tu{uri.user})', '$sel(to.uri.user)', '$fu', '$fd',
    '$sel(v[2].host)', '$sel(v[2].port)', '$hdr(X-Upper)', '$hdr(x-upper)', '$(hdr(Via)[1])', '$sel(from.uri.type)',
    '$sel(ruri.type)', '$sel(to.uri.type)', '$rz',
  ],
  // sent as a MESSAGE with addr-spec From, escaped quotes, Contact * and repeated headers (see oddRequest)
  odd: [
    '$fu', '$fU', '$fn', '$ft', '$tn', '$tt', '$(tn{s.len})', '$ct', '$sel(contact)', '$sel(contact.uri)',
    '$hdr(Route)', '$(hdr(Route)[1])', '$(hdr(Route)[-1])', '$hdrc(Route)', '$sel(msg.h.Route[2])', '$sel(to.tag)',
    '$sel(from.uri)', '$sel(from.params["tag"])', '$(hdr(From){tobody.tag})', '$(hdr(From){tobody.uri})',
    '$(hdr(To){tobody.display})', '$(hdr(To){nameaddr.name})', '$(hdr(To){nameaddr.len})', '$cT', '$cl', '$bs',
    '$(rb{s.len})', '$(rb{line.count})', '$rb',
  ],
  trans2: [
    '$(hdr(X-Str){re.subst,/:/-/})', '$(hdr(X-Str){re.subst,/:/-/g})', '$(hdr(X-Str){re.subst,/ab/X/i})',
    '$(hdr(X-Str){re.subst,/zz/X/})', '$(hdr(X-Str){re.subst,#^A#<\\0>#})', '$(hdr(X-Num){re.subst,/[0-9]/<\\0>/g})',
    '$(hdr(X-Str){re.subst,/([a-z]+):([0-9]+)/\\2=\\1/})', '$(hdr(X-Str){re.subst,/x*/-/g})', '$(hdr(X-Multi){re.subst,/o/0/g}{s.len})',
    '$(hdr(X-Str){re.subst,/:/<$rm>/g})', '$(hdr(X-Str){re.subst,/(c)/[$hdr(X-None)$(fu{uri.user})\\1]/i})',
    '$(hdr(X-I3){s.int})', '$(hdr(X-I4){s.len})',
    '$(hdr(X-U){uri.user})', '$(hdr(X-U){uri.passwd})', '$(hdr(X-U){uri.host})', '$(hdr(X-U){uri.port})',
    '$(hdr(X-U){uri.transport})', '$(hdr(X-U){uri.maddr})', '$(hdr(X-U){uri.headers})', '$(hdr(X-U){uri.params})',
    '$(hdr(X-U){uri.param,maddr})', '$(hdr(X-P){param.value,a})', '$(hdr(X-P){param.value,b})', '$(hdr(X-P){param.value,c})',
    '$(hdr(X-P){param.count})', '$(hdr(X-P){param.name,0})', '$(hdr(X-P){param.valueat,1})', '$(hdr(X-Str){s.substr,0,0})',
    '$(hdr(X-Str){s.substr,0,1})', '$(hdr(X-Str){s.select,0,x})', '$(hdr(X-Str){s.select,-1,x})', '$(hdr(X-Str){s.striptail,99})',
    '$(hdr(X-Str){s.prefixes,0})', '$(hdr(X-Hex){s.decode.hexa}{s.encode.hexa}{s.toupper})',
  ],
  sel2: [
    '$sel(rr)', '$sel(record_route.uri)', '$sel(rr.uri.host)', '$sel(rr.name)', '$sel(rr.params["ftag"])', '$sel(rr.params["lr"])',
    '$sel(msg.h.From.nameaddr.uri)', '$sel(msg.h.From.nameaddr.name)', '$sel(msg.h.To.nameaddr.uri.user)', '$sel(msg.h.Refer_To.nameaddr.uri)',
    '$sel(authorization["atlanta.example.com"].username)',
    '$sel(authorization["atlanta.example.com"].username.user)', '$sel(authorization["atlanta.example.com"].username.domain)',
    '$sel(authorization["atlanta.example.com"].realm)', '$sel(authorization["atlanta.example.com"].nonce)',
    '$sel(authorization["atlanta.example.com"].uri)', '$sel(authorization["atlanta.example.com"].response)',
    '$sel(authorization["atlanta.example.com"].qop)', '$sel(authorization["atlanta.example.com"].nc)',
    '$sel(authorization["atlanta.example.com"].cnonce)', '$sel(authorization["atlanta.example.com"].algorithm)',
    '$sel(authorization["other.example"].realm)', '$sel(proxy_authorization["p.example"].username)',
    '$sel(refer_to)', '$sel(refer_to.uri)', '$sel(refer_to.uri.user)', '$sel(rpid.uri.host)', '$sel(remote_party_id.params["party"])',
    '$sel(msg.body.sdp.line["m"])', '$sel(msg.body.sdp.line["c"])', '$sel(msg.body.sdp.line["z"])',
    '$au', '$aU', '$ad', '$ar', '$adu', '$Au',
  ],
};

const SCRIPT = `
  if ($rU == "avp") {
    $avp(x) = 1; $avp(x) = "two"; $avp(x) = 3;
    $var(o) = $(avp(x)[*]) + "|" + $(avp(x)[1]) + "|" + $avp(x);
    $(avp(x)[1]) = "mid";
    $var(o) = $var(o) + "|" + $(avp(x)[*]);
    $avp(x) = $null;
    $var(o) = $var(o) + "|" + $(avp(x)[*]);
    $(avp(x)[*]) = "only";
    $var(o) = $var(o) + "|" + $(avp(x)[*]);
    $(avp(x)[*]) = $null;
    if ($avp(x) == $null) $var(o) = $var(o) + "|gone";
    $avp(s:n) = 5; $avp(i:7) = "seven";
    $var(o) = $var(o) + "|" + $avp(n) + "|" + $avp(i:7);
    $xavp(g=>ip) = "1"; $xavp(g[0]=>ip) = "2"; $xavp(g=>ip) = "3"; $xavp(g[0]=>port) = 5060;
    $var(o) = $var(o) + "|" + $xavp(g=>ip) + "|" + $xavp(g[1]=>ip) + "|" + $xavp(g[1]=>ip[1]) + "|" + $xavp(g[-1]=>ip) + "|" + $xavp(g=>port);
    $var(o) = $var(o) + "|" + $cnt($xavp(g)) + "|" + $cnt($xavp(g=>ip)) + "|" + $cnt($xavp(g[1]=>ip)) + "|" + $cnt($avp(n)) + "|" + $cnt($avp(none));
    $xavp(g[1]=>ip) = $null;
    $var(o) = $var(o) + "|" + $xavp(g[1]=>ip);
    $xavp(v) = "a"; $xavp(v) = "b"; $xavp(v[1]) = "A";
    $var(o) = $var(o) + "|" + $xavp(v) + "|" + $xavp(v[1]) + "|" + $xavp(v[*]) + "|" + $xavp(g[0]=>ip[*]);
    $xavp(g[0]=>ip[*]) = $null;
    if ($xavp(g[0]=>ip) == $null) $var(o) = $var(o) + "|noip";
    $xavp(v[*]) = $null;
    if ($xavp(v) == $null) $var(o) = $var(o) + "|nov";
    $var(t) = "abc"; $var(t) = $null;
    $var(o) = $var(o) + "|" + $var(t);
    sl_send_reply("200", "r=$var(o)");
    exit;
  }
  if ($rU == "write") {
    $rU = "carol"; $rd = "chicago.example.com"; $rp = 5090;
    $var(o) = $ru + "|" + $rU + "|" + $rp;
    $rp = $null; $var(o) = $var(o) + "|" + $ru;
    $rU = $null; $var(o) = $var(o) + "|" + $ru;
    $ru = "sip:dave@d.example;x=1"; $var(o) = $var(o) + "|" + $ru + "|" + $ou;
    $du = "sip:10.0.0.9:5070;transport=tcp";
    $var(o) = $var(o) + "|" + $du + "|" + $dd + "|" + $dp + "|" + $dP;
    $du = $null; if ($du == $null) $var(o) = $var(o) + "|nodu";
    $br = "sip:b1@x"; $br = "sip:b2@y";
    $var(o) = $var(o) + "|" + $ds + "|" + $bR + "|" + $br + "|" + $branch(count) + "|" + $(branch(uri)[1]);
    $du = "sip:10.1.1.1:5070";
    $var(o) = $var(o) + "|" + $sel(dst_uri.port) + "|" + $sel(next_hop.host) + "|" + $sel(branch.count) + "|" + $sel(branch.uri[0]) + "|" + $sel(branch.uri[1]) + "|" + $sel(ruri.user) + "|" + $sel(ruri);
    $mf = 5; $sf = 18; $bf = 255;
    $var(o) = $var(o) + "|" + $mf + "|" + $mF + "|" + $sF + "|" + $bF;
    sl_send_reply("200", "r=$var(o)");
    exit;
  }
${Object.entries(GROUPS).map(([name, cases]) => `  if (${name === 'compact' ? '$rm == "REGISTER"' : name === 'v6' ? '$rm == "OPTIONS"' : name === 'odd' ? '$rm == "MESSAGE"' : `$rU == "${name}"`}) { sl_send_reply("200", "r=${cases.join('|').replace(/"/g, '\\"')}"); exit; }`).join('\n')}
  sl_send_reply("404", "unknown case");
`;

function config(port: number): string {
  return `#!KAMAILIO
listen=udp:127.0.0.1:${port}
loadmodule "pv"
loadmodule "sl"
loadmodule "textops"
request_route {
  if (method == "ACK") exit;
${SCRIPT}
}
`;
}

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8\r\n';

function compactRequest(n: number): Buffer {
  return Buffer.from([
    'REGISTER sip:registrar.example.com SIP/2.0',
    `v: SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT};branch=z9hG4bKpvdiff${n};rport`,
    'v:SIP/2.0/UDP   10.9.9.9:5070 ;branch=z9hG4bK-c2',
    'f: Carol <sip:compact@example.com>;tag=c1',
    't: "Carol C" <sip:compact@example.com>',
    `i: pvdiff-${n}@atlanta.example.com`,
    'CSeq:   42   REGISTER',
    'm: <sip:carol@10.0.0.7:5062;transport=udp>;expires=3600;q=0.5;+sip.instance="<urn:uuid:1234>"',
    'X-Fold: first part,',
    '  continued here',
    'Authorization: Digest username="carol", realm="registrar.example.com", nonce="n1", uri="sip:registrar.example.com", response="aa"',
    'Max-Forwards: 70',
    'c: text/plain',
    'l: 0',
    '',
    '',
  ].join('\r\n'));
}

function v6Request(n: number): Buffer {
  return Buffer.from([
    'OPTIONS SIP:v6%40user@[2001:db8::10]:5070;transport=UDP SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT};branch=z9hG4bKpvdiff${n};rport`,
    'VIA: SIP/2.0/UDP [2001:db8::2]:5080;branch=z9hG4bK-v6',
    'FROM: <SIPS:Upper@Example.COM>;tag=u1',
    'To: <tel:+1-555-0100;phone-context=example.com>',
    `Call-ID: pvdiff-${n}@atlanta.example.com`,
    'CSeq: 1 OPTIONS',
    'X-UPPER: shouting',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'));
}

function oddRequest(n: number): Buffer {
  const body = 'hello|there';
  return Buffer.from([
    'MESSAGE sip:odd@example.com SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT};branch=z9hG4bKpvdiff${n};rport`,
    'From: sip:plain@x.example;tag=p1',
    'To: "Q \\"x\\" R" <sip:q@y.example>;tag=t9',
    `Call-ID: pvdiff-${n}@atlanta.example.com`,
    'CSeq: 5 MESSAGE',
    'Contact: *',
    'Record-Route: "Edge Proxy" <sip:p1.example;lr;ftag=a1>, <sip:p2.example;lr>',
    'Record-Route: <sip:p3.example;lr>',
    'Route: <sip:r1.example;lr>',
    'Route: <sip:r2.example;lr>, <sip:r3.example;lr>',
    'Max-Forwards: 70',
    'Content-Type: text/plain',
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n'));
}

function request(user: string, n: number): Buffer {
  if (user === 'odd') return oddRequest(n);
  if (user === 'compact') return compactRequest(n);
  if (user === 'v6') return v6Request(n);
  return Buffer.from([
    `INVITE sip:${user}@example.com:5080;transport=tcp;user=phone;lr SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${CLIENT_PORT};branch=z9hG4bKpvdiff${n};rport`,
    'Via: SIP/2.0/TCP proxy.example.net;branch=z9hG4bK-2;received=192.0.2.9',
    'From: "Alice Liddell" <sip:alice@atlanta.example.com:5062>;tag=a73kszlfl;x=y',
    'To: Bob <sip:bob@example.com>',
    `Call-ID: pvdiff-${n}@atlanta.example.com`,
    'CSeq: 314159 INVITE',
    'Contact: "A" <sip:alice@10.0.0.1:5062>;expires=60;q=0.7',
    'Max-Forwards: 70',
    'User-Agent: softphone/1.0',
    'P-Asserted-Identity: "Ali" <sip:ali@pai.example>, <tel:+15551234>',
    'P-Preferred-Identity: "Pref" <sip:pref@ppi.example>',
    'Remote-Party-ID: <sip:rpid@r.example>;party=calling',
    'Diversion: <sip:div@d.example>;reason=unconditional;privacy=full',
    'Refer-To: <sip:target@t.example>',
    'X-Multi: one',
    'X-Multi: two, three',
    'X-Str: Ab:cD:ef:99',
    'X-Hex: 616263',
    'X-Num: -42',
    'X-I1: +5',
    'X-I3: 0x10',
    'X-I4: 007',
    'X-I5: -0',
    'X-U: sip:user:pw@h.example:5061;transport=tls;maddr=1.2.3.4?subject=hi&x=y',
    'X-P: a = 1 ; b="q" ;c',
    'X-Latin: caf\u00e9 \u00c9T\u00c9',
    'X-Sp: "  a b  "',
    'X-Esc: a<b>[c]:d/e&f+g,i;j?k=l',
    'X-Pct: a%3cb%3Cc%20d',
    `X-Q: it's "q"`,
    'X-Params: a=1;b;c="x;y";D=4',
    'Authorization: Digest username="alice@atlanta.example.com", realm="atlanta.example.com", nonce="n0nce", uri="sip:bob@example.com", response="0123abcd", qop=auth, nc=00000001, cnonce="c1", algorithm=MD5',
    'Proxy-Authorization: Digest username="palice", realm="p.example", nonce="pn", uri="sip:bob@example.com", response="ffff"',
    'Content-Type: application/sdp',
    `Content-Length: ${SDP.length}`,
    '',
    SDP,
  ].join('\r\n'), 'latin1');
}

/** Send one request (n makes its Call-ID and branch) and return the reply's status line. */
async function ask(sock: Socket, user: string, port: number, n: number): Promise<string> {
  const reply = await sendAndWait(sock, request(user, n), port, `pvdiff-${n}@`, 3000);
  return arrived(reply, `reply from port ${port} for ${user}`).split('\r\n')[0];
}

describeWithKamailio('pv-diff')('pseudo-variables: sipr vs kamailio 5.6', () => {
  const diff = new KamailioDiff();
  let sock: Socket;

  beforeAll(async () => {
    await diff.start(config(K_PORT), config(S_PORT));
    sock = await diff.udp(CLIENT_PORT);
    await diff.untilKamailioAnswers((i) => ask(sock, 'msg', K_PORT, 1000 + i), 8);
  }, 30000);

  afterAll(() => diff.stop());

  test.each(['msg', 'compact', 'v6', 'odd', 'trans', 'trans2', 'sel', 'sel2', 'avp', 'write'])('%s', async (group) => {
    // the same Call-ID and branch for both, so $ci and the Via selects compare
    const n = group.length * 10 + group.charCodeAt(group.length - 1);
    const k = await ask(sock, group, K_PORT, n);
    const s = await ask(sock, group, S_PORT, n);
    const cases = GROUPS[group];
    if (cases && s !== k) {
      // name the pieces that differ, not just the whole line
      const values = (line: string) => line.replace(/^SIP\/2.0 200 r=/, '');
      expect(differingPieces(cases, values(k), values(s))).toEqual([]);
    }
    expect(s).toBe(k);
    expect(s.startsWith('SIP/2.0 200 r=')).toBe(true);
  });
});
