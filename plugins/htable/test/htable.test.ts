import { loadCfg, type CfgRun } from './cfg';
import { ConfigErrors } from '@sipr/core';

const options = (callId: string, user = 'alice') => `OPTIONS sip:${user}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${callId}\r\n`
  + `From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;

const head = (extra = '') => `#!KAMAILIO
loadmodule "pv"
loadmodule "xlog"
loadmodule "sl"
loadmodule "htable"
modparam("htable", "htable", "a=>size=4;")
modparam("htable", "htable", "i=>size=2;initval=10;")
modparam("htable", "htable", "seen=>size=8;autoexpire=60;")
${extra}
`;

let run: CfgRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

test('values set in event_route[htable:mod-init] are read by the request route; counters across requests', async () => {
  run = await loadCfg(head() + `
event_route[htable:mod-init] {
  $sht(a=>greeting) = "hello";
  $sht(a=>n) = 40;
}
request_route {
  $var(c) = $shtinc(a=>n);
  $sht(seen=>$ci) = $rU;
  xlog("L_INFO", "$sht(a=>greeting) $var(c) seen=$shtcn(seen=>.*) alices=$shtcv(seen=>^alice$)\\n");
  sl_send_reply("200", "OK $var(c)");
}
`);
  run.request(options('c1'));
  run.request(options('c2', 'bob'));
  run.request(options('c3'));
  expect(run.logs.filter((l) => l.startsWith('INFO: <script>'))).toEqual([
    'INFO: <script>: hello 41 seen=1 alices=1',
    'INFO: <script>: hello 42 seen=2 alices=1',
    'INFO: <script>: hello 43 seen=3 alices=2',
  ]);
  expect(run.sent.map((s) => s.split('\r\n')[0])).toEqual(['SIP/2.0 200 OK 41', 'SIP/2.0 200 OK 42', 'SIP/2.0 200 OK 43']);
});

test('autoexpire drops items after their time on the core timer; $shtex reads and changes it', async () => {
  run = await loadCfg(head() + `
request_route {
  if ($rU == "set") { $sht(seen=>k) = 1; }
  if ($rU == "keep") { $shtex(seen=>k) = 0; }
  xlog("L_INFO", "k=$sht(seen=>k) ex=$shtex(seen=>k)\\n");
}
`);
  run.request(options('e1', 'set'));
  run.clock.advance(30_000);
  run.request(options('e2', 'get'));
  run.clock.advance(31_000);
  run.request(options('e3', 'get'));
  run.request(options('e4', 'set'));
  run.request(options('e5', 'keep'));
  run.clock.advance(120_000);
  run.request(options('e6', 'get'));
  expect(run.logs.filter((l) => l.startsWith('INFO: <script>'))).toEqual([
    'INFO: <script>: k=1 ex=60',
    'INFO: <script>: k=1 ex=30',
    'INFO: <script>: k=<null> ex=<null>',
    'INFO: <script>: k=1 ex=60',
    'INFO: <script>: k=1 ex=0',
    'INFO: <script>: k=1 ex=0',
  ]);
});

test('the sweeper removes expired items from memory', async () => {
  run = await loadCfg(head('modparam("htable", "timer_interval", 10)') + 'request_route { $sht(seen=>$ci) = 1; }\n');
  run.request(options('s1'));
  run.request(options('s2'));
  const table = run.core.modules.findExport<(n: string) => { items: Map<string, unknown> }>('htable', 'table')!('seen');
  expect(table.items.size).toBe(2);
  run.clock.advance(70_000);
  expect(table.items.size).toBe(0);
});

test('$shtdec, $null deletes, sht_rm_name_re and sht_rm_value_re', async () => {
  run = await loadCfg(head() + `
request_route {
  $sht(a=>x1) = "one"; $sht(a=>x2) = "two"; $sht(a=>y1) = "one";
  $var(d) = $shtdec(i=>cnt); $var(d) = $shtdec(i=>cnt);
  $var(none) = $shtinc(a=>missing);
  $sht(a=>s) = "text";
  xlog("L_INFO", "missing inc=$var(none) init=$sht(i=>other) str inc=$shtinc(a=>s) a.missing=$sht(a=>missing)\\n");
  $sht(a=>y1) = $null;
  xlog("L_INFO", "d=$var(d) y1=$sht(a=>y1) n=$shtcn(a=>^x)\\n");
  sht_rm_name_re("a=>^x1$");
  xlog("L_INFO", "after name: $shtcn(a=>.)\\n");
  sht_rm_value_re("a=>^t");
  xlog("L_INFO", "after value: $shtcn(a=>.) x2=$sht(a=>x2)\\n");
}
`);
  run.request(options('r1'));
  expect(run.logs.filter((l) => l.startsWith('INFO: <script>'))).toEqual([
    'INFO: <script>: missing inc=0 init=10 str inc=<null> a.missing=<null>',
    'INFO: <script>: d=8 y1=<null> n=2',
    'INFO: <script>: after name: 2',
    'INFO: <script>: after value: 0 x2=<null>',
  ]);
});

test('sht_print logs every item; sht_reset empties one table', async () => {
  run = await loadCfg(head() + `
request_route {
  $sht(a=>k1) = "v1"; $sht(a=>k2) = 2; $sht(seen=>s) = 1;
  sht_print();
  sht_reset("a");
  xlog("L_INFO", "a=$shtcn(a=>.) seen=$shtcn(seen=>.)\\n");
}
`);
  run.request(options('p1'));
  expect(run.logs).toEqual(expect.arrayContaining([
    'ERROR: htable: [a] size=4 autoexpire=0 items=2', 'ERROR: htable:   k1 = "v1"', 'ERROR: htable:   k2 = 2', 'ERROR: htable:   s = 1',
    'INFO: <script>: a=0 seen=1',
  ]));
  await expect(loadCfg(head() + 'request_route { sht_reset("zz"); }\n')).rejects.toThrow(/htable "zz" is not declared/);
});

test('RPC: sets, seti, get, delete, dump, listTables', async () => {
  run = await loadCfg(head() + 'request_route { drop; }\n');
  const rpc = run.core.rpc;
  expect((await rpc.invoke('htable.sets', ['a', 'k1', 'v1'])).ok).toBe(true);
  expect((await rpc.invoke('htable.seti', ['a', 'k2', '7'])).ok).toBe(true);
  expect((await rpc.invoke('htable.get', ['a', 'k1'])).values).toEqual([{ item: { name: 'k1', value: 'v1' } }]);
  expect((await rpc.invoke('htable.get', ['a', 'k2'])).values).toEqual([{ item: { name: 'k2', value: 7 } }]);
  const dump = (await rpc.invoke('htable.dump', ['a'])).values as { slot: { name: string }[] }[];
  expect(dump.flatMap((d) => d.slot.map((s) => s.name)).sort()).toEqual(['k1', 'k2']);
  expect((await rpc.invoke('htable.delete', ['a', 'k1'])).ok).toBe(true);
  expect((await rpc.invoke('htable.get', ['a', 'k1'])).fault).toEqual({ code: 404, message: 'Key name doesn\'t exist in htable.' });
  expect((await rpc.invoke('htable.get', ['nope', 'k1'])).fault).toEqual({ code: 500, message: 'No such htable: nope' });
  expect((await rpc.invoke('htable.seti', ['a', 'k3', 'x'])).fault?.code).toBe(500);
  expect((await rpc.invoke('htable.listTables', [])).values).toEqual([
    { name: 'a', size: 4, expire: 0, items: 1 }, { name: 'i', size: 2, expire: 0, items: 0 }, { name: 'seen', size: 8, expire: 60, items: 0 },
  ]);
});

test('config errors: undeclared table, bad definition, db tables not yet', async () => {
  const err = async (text: string) => {
    try {
      await loadCfg(text);
      return '';
    } catch (e) {
      return e instanceof ConfigErrors ? e.message : String(e);
    }
  };
  expect(await err(head() + 'request_route { $var(x) = $sht(b=>k); }\n')).toMatch(/test\.cfg:10:\d+: .*htable "b" is not declared/);
  expect(await err(head('modparam("htable", "htable", "c=>size=x;")') + 'request_route { drop; }\n')).toMatch(/test\.cfg:9:\d+: .*size needs a number/);
  expect(await err(head('modparam("htable", "htable", "d=>dbtable=htable;")') + 'request_route { drop; }\n')).toMatch(/dbtable is not supported yet/);
});
