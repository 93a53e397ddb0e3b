/** A SER/3.0-era config shape: multi-line flag lists, avpflags, SER AVPs, selects, `!method==`. */
import { load, run, errorsOf } from './harness';

const CFG = `
check_via=no    # trailing comments after values
dns=no
flags
  F_ACC  : 1,   # a comment inside the list
  F_FAIL : 2;
avpflags
  cookie;

route {
  route(CHECKS);
  route(AVPS);
  rec("done");
}

route[CHECKS] {
  if (msg:len >=  4096 ) { drop; }
  if (method=="INVITE" && strempty(@to.tag)) { setflag(F_ACC); }
  if (!method=="REGISTER") { rec("not register"); }
  if (method == CANCEL) { drop; }
  if (uri=~"sips?:\\+?[0-9a-z]{3,18}@.*") { rec("uri matched"); }
  if ($? == -2) { break; }
}

route[AVPS] {
  $account = "yes";
  if ($account == "yes" && isflagset(F_ACC)) { rec("acc"); }
  if (strempty($t.did) && strempty($f.did)) { rec("no did"); }
  $f.uid = "u1";
  if ($f.uid != $t.uid) { rec("uids differ"); }
}

failure_route[FAIL] {
  setflag(F_FAIL);
}
`;

test('the config loads and runs with SER AVPs and selects in #!ALL mode', async () => {
  const h = await load(CFG);
  await run(h);
  expect(h.calls).toEqual(['not register', 'uri matched', 'acc', 'no did', 'uids differ', 'done']);
});

/** The shape of sip-router 3.0's own sample: class-prefixed AVPs (domain and global ones read-only), avpflags. */
const SR_CFG = `#!SER
avpflags
  dialog_cookie,
  serialized;

route {
  $fu.uid = @from.uri.user;
  $tu.uid = @ruri.user;
  $tr.did = "d-" + @ruri.host;
  $fr.next = "r";
  if (strempty($fd.digest_realm)) { rec("no realm"); }
  rec("f=$f.uid t=$t.uid did=$t.did next=$f.next g=$g.boots");
  if ($f.uid == $fu.uid && strempty($tr.uid)) { rec("classes ok"); }
  setavpflag($f.uid, "dialog_cookie");
  if (isavpflagset($fu.uid, "dialog_cookie")) { rec("cookie set"); }
  if (!isavpflagset($f.uid, "serialized")) { rec("not serialized"); }
  resetavpflag("$fu.uid[1]", dialog_cookie);
  if (!isavpflagset($f.uid, "dialog_cookie")) { rec("cookie reset"); }
  $t.multi = 1;
  $avp(multi) = 2;
  $avp(multi) = 3;
  if (setavpflag($t.multi, "serialized")) { rec("one to value"); }
  if (!setavpflag($f.multi, "serialized")) { rec("two from values, no index"); }
}
`;

test('a sip-router.cfg-style config: $fd./$fu./$tu./$td./$g. AVPs and avp flags', async () => {
  const h = await load(SR_CFG);
  await run(h);
  await run(h);
  expect(h.calls).toEqual([
    'no realm', 'f=alice t=bob did=d-example.com next=r g=<null>', 'classes ok', 'cookie set', 'not serialized', 'cookie reset', 'one to value', 'two from values, no index',
    'no realm', 'f=alice t=bob did=d-example.com next=r g=<null>', 'classes ok', 'cookie set', 'not serialized', 'cookie reset', 'one to value', 'two from values, no index',
  ]);
});

test('assigning a domain or global AVP is refused at start, as in kamailio', async () => {
  const msg = await errorsOf(`#!SER\nroute {\n  $fd.realm = "x";\n  $g.n = 1;\n}\n`);
  expect(msg).toMatch(/:3:3: .*\$fd\.realm is read-only/);
  expect(msg).toMatch(/:4:3: .*\$g\.n is read-only/);
});

test('avp flag actions: undeclared flag names and non-AVP arguments fail at start with a position', async () => {
  const msg = await errorsOf(`avpflags a;\nroute {\n  setavpflag($f.x, "b");\n  isavpflagset(7, "a");\n}\n`);
  expect(msg).toMatch(/:3:\d+: .*avp flag 'b' is not declared/);
  expect(msg).toMatch(/:4:\d+: .*'7' is not an AVP/);
});

test('avpflags declarations as kamailio 5.6: a name again keeps its flag, no :bit, at most 18', async () => {
  expect(await errorsOf('avpflags a, b, a;\nroute { drop; }')).toBe('');
  expect(await errorsOf('avpflags a: 3;\nroute { drop; }')).toMatch(/:1:10: .*avpflags take no ':bit'/);
  const names = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`).join(', ');
  expect(await errorsOf(`avpflags ${names(18)};\nroute { drop; }`)).toBe('');
  expect(await errorsOf(`avpflags ${names(19)};\nroute { drop; }`)).toMatch(/avp flag 'f18': at most 18 avp flags/);
});
