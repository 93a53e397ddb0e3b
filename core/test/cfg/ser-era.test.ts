/** A SER/3.0-era config shape: multi-line flag lists, avpflags, SER AVPs, selects, `!method==`. */
import { load, run } from './harness';

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
