/**
 * The routing modules on the torture corpora (RFC 4475, RFC 5118, PROTOS c07-sip): every message
 * goes through the server's message path into a config that calls the functions of rr, textops,
 * textopsx, siputils, sanity, xlog, kex and htable. No function may throw (the path would log
 * "... request from ...: <error>"), and the core must still answer afterwards.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ModuleHarness } from '@sipr/sdk';

const CORPUS = resolve(__dirname, '../../../test/corpus');

/** The RFC 4475 / 5118 messages, as files. */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (!name.endsWith('.json') && !name.endsWith('.md')) out.push(p);
  }
  return out;
}

/** A PROTOS case file: length-prefixed templates (INVITE, teardown) with <Placeholders> filled in. */
function protosCase(file: Buffer, index: number): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < file.length;) {
    const sp = file.indexOf(32, p);
    const n = Number(file.toString('latin1', p, sp));
    let s = file.toString('latin1', sp + 1, sp + 1 + n);
    p = sp + 1 + n;
    const fill: Record<string, string> = {
      '<To>': 'bob@127.0.0.1', '<From>': 'alice@127.0.0.1', '<From-Address>': '127.0.0.1', '<From-IP>': '127.0.0.1',
      '<Local-Port>': '5070', '<Branch-ID>': String(index), '<Call-ID>': `protos-${index}`, '<CSeq>': '1', '<Teardown-Method>': 'CANCEL',
    };
    for (const [k, v] of Object.entries(fill)) s = s.replaceAll(k, v);
    const sep = s.indexOf('\r\n\r\n');
    out.push(Buffer.from(s.replaceAll('<Content-Length>', String(sep < 0 ? 0 : s.length - sep - 4)), 'latin1'));
  }
  return out;
}

const CFG = `#!KAMAILIO
loadmodule "pv"
loadmodule "sl"
loadmodule "rr"
loadmodule "textops"
loadmodule "textopsx"
loadmodule "siputils"
loadmodule "sanity"
loadmodule "xlog"
loadmodule "kex"
loadmodule "htable"
modparam("sanity", "autodrop", 0)
modparam("htable", "htable", "t=>size=4;initval=0;")

onreply_route {
  change_reply_status("500", "Changed");
  remove_body();
  drop;
}

request_route {
  if (method == "ACK") drop;
  sanity_check("4095", "7");
  $var(n) = $shtinc(t=>$fU);
  $sht(t=>$ci) = $ru;
  xlog("L_DBG", "$rm $ru $fu $tu $ci $hdr(Via)\\n");
  if (has_totag()) loose_route();
  record_route();
  add_rr_param(";x=$var(n)");
  if (is_present_hf("Route")) $var(r) = $route_uri;
  search("^Call-ID:");
  search_body("v=0");
  replace_all("[[:digit:]]+", "0");
  subst('/^(To: )(.*)$/\\1\\2/g');
  subst_uri('/^sip:([^@]*)@/sip:\\1x@/');
  subst_user('/^(.*)$/u\\1/');
  remove_hf("User-Agent");
  append_hf("X-A: $rU\\r\\n", "Via");
  insert_hf("X-B: $tU\\r\\n");
  append_urihf("X-U: <", ">\\r\\n");
  is_method("INVITE|REGISTER");
  has_body("application/sdp");
  filter_body("application/sdp");
  uri_param("transport", "udp");
  add_uri_param("y=1");
  is_user("alice");
  $var(tel) = "";
  tel2sip("$ru", "example.com", "$var(tel)");
  is_uri_user_e164("$fu");
  cmp_uri("$fu", "$tu");
  setbflag(1);
  km_append_branch();
  pv_printf("$var(p)", "$rm/$cs/$ct");
  append_to_reply("X-R: $var(n)\\r\\n");
  msg_apply_changes();
  sl_send_reply("403", "Done $rm");
}
`;

test('no module function throws on any corpus message; the core still answers', async () => {
  const h = await ModuleHarness.fromConfig(CFG);
  const messages: Buffer[] = [];
  for (const dir of ['rfc4475', 'rfc5118']) for (const f of files(join(CORPUS, dir))) messages.push(readFileSync(f));
  const protos = join(CORPUS, 'protos/cases');
  readdirSync(protos).sort().forEach((name, i) => messages.push(...protosCase(readFileSync(join(protos, name)), i)));
  expect(messages.length).toBeGreaterThan(9000);
  let done = 0;
  for (const m of messages) {
    for (const p of h.receive(m)) if (p.buf.toString('latin1', 0, 30).startsWith('SIP/2.0 403 Done')) done++;
  }
  // most PROTOS cases are well-formed enough to reach the script and run every function
  expect(done).toBeGreaterThan(4000);
  const failures = h.logs.filter((l) => /(request|reply) from 127\.0\.0\.1:5070: /.test(l));
  expect(failures).toEqual([]);
  const alive = h.receive('OPTIONS sip:ok@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-alive\r\n'
    + 'From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: alive\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n');
  expect(alive.map((p) => p.buf.toString('latin1').split('\r\n')[0])).toEqual(['SIP/2.0 403 Done OPTIONS']);
  await h.destroy();
}, 120000);
