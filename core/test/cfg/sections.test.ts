/** File sections (§4): global params, flags, cfg vars, route blocks, checks with file:line:column. */
import { load, run, recs, errorsOf, writeCfg } from './harness';
import { loadConfig } from '../../src/cfg/load';
import { flagByName } from '../../src/cfg/flag-names';

test('core globals are typed and kept in core.globals; listen/alias are host entries', async () => {
  const h = await load(`debug=2\nchildren = 4\nfork=no\nlog_facility=LOG_LOCAL0\nlisten=udp:127.0.0.1:5060 tcp:127.0.0.1:5061\nlisten = [::1]:5070\nalias="example.com" alias=other.org:5080 alias = x.org\nmax_while_loops=7;\nroute {}`);
  const g = h.core.globals;
  expect(g.get('children')).toBe(4);
  expect(g.get('fork')).toBe(false);
  expect(g.get('log_facility')).toBe('LOG_LOCAL0');
  expect(g.get('max_while_loops')).toBe(7);
  expect(h.core.log.level).toBe(2);
  expect(g.get('listen')).toEqual([
    { proto: 'udp', host: '127.0.0.1', port: 5060, text: 'udp:127.0.0.1:5060' },
    { proto: 'tcp', host: '127.0.0.1', port: 5061, text: 'tcp:127.0.0.1:5061' },
    { proto: '', host: '[::1]', port: 5070, text: '[::1]:5070' },
  ]);
  expect(g.get('alias')).toEqual([
    { proto: '', host: 'example.com', port: 0, text: 'example.com' },
    { proto: '', host: 'other.org', port: 5080, text: 'other.org:5080' },
    { proto: '', host: 'x.org', port: 0, text: 'x.org' },
  ]);
});

test('listen ... advertise host:port', async () => {
  const h = await load('listen=udp:10.0.0.1:5060 advertise 203.0.113.5:5080\nroute {}');
  expect(h.core.globals.get('listen')).toEqual([
    { proto: 'udp', host: '10.0.0.1', port: 5060, text: 'udp:10.0.0.1:5060', advertise: { host: '203.0.113.5', port: 5080 } },
  ]);
  expect(await errorsOf('listen=udp:10.0.0.1:5060 advertise\nroute {}')).toContain("'advertise' needs host[:port]");
});

test('unknown and mistyped globals are errors', async () => {
  const out = await errorsOf('foo = 1\nchildren = "x"\nroute {}');
  expect(out).toMatch(/:1:1: unknown config variable 'foo'/);
  expect(out).toMatch(/:2:1: children needs a number/);
});

test('named flags: declared bits, next free bit, use by name; undeclared names are errors', async () => {
  const h = await load(`flags FLT_A: 3, FLT_B, "FLT_C";\nroute { setflag(FLT_A); setflag(FLT_B); setflag(5); resetflag(5); if (isflagset(FLT_A)) rec("a"); if (isflagset(FLT_C)) rec("c"); if (!isflagset(5)) rec("not5"); rec("$mf"); }`);
  await run(h);
  // FLT_B takes bit 0, FLT_C bit 1
  expect(h.calls).toEqual(['a', 'not5', String((1 << 3) | 1)]);
  expect(flagByName(h.core, 'FLT_A')).toBe(3);
  expect(flagByName(h.core, 'FLT_C')).toBe(1);
  expect(flagByName(h.core, 'NOPE')).toBeUndefined();
  expect(await errorsOf('route { setflag(NOPE); }')).toContain("flag 'NOPE' is not declared");
  expect(await errorsOf('flags X: 32;\nroute { }')).toContain('out of range');
  expect(await errorsOf('flags X, X;\nroute { }')).toContain("declared twice");
});

test('the core group of cfg_get reads the global parameters', async () => {
  expect(await recs('rec("$sel(cfg_get.core.max_while_loops) $sel(cfg_get.core.debug)");', 'max_while_loops=9\ndebug=2\nmy.x = 1')).toEqual(['9 2']);
});

test('custom cfg variables are readable through @cfg_get and $sel', async () => {
  expect(await recs('rec("$sel(cfg_get.my.limit) $sel(cfg_get.my.name)"); if (@cfg_get.my.limit == "10") rec("eq");', 'my.limit = 10 desc "a limit"\nmy.name = "x"')).toEqual([
    '10 x',
    'eq',
  ]);
});

test('route blocks of every kind; unnamed blocks append, named duplicates are errors', async () => {
  const h = await load(`route { rec("a"); }\nroute { rec("b"); }\nfailure_route[f] { rec("f"); }\nonreply_route { }\nonreply_route[r] { }\nbranch_route[b] { }\nonsend_route { }\nevent_route[htable:mod-init] { rec("ev"); }`);
  expect(h.script.has('failure', 'f')).toBe(true);
  expect(h.script.has('onreply', 'main')).toBe(true);
  expect(h.script.has('onreply', 'r')).toBe(true);
  expect(h.script.has('branch', 'b')).toBe(true);
  expect(h.script.has('onsend', 'main')).toBe(true);
  expect(h.script.has('event', 'htable:mod-init')).toBe(true);
  expect(h.script.has('failure', 'g')).toBe(false);
  await run(h);
  expect(h.calls).toEqual(['a', 'b']);
  expect(await errorsOf('route[x] { }\nroute[x] { }')).toMatch(/:2:1: duplicate route route\[x\]/);
  expect(await errorsOf('event_route[bad] { }')).toContain('bad event route name');
  expect(await errorsOf('route { }\nroute[0] { }')).toMatch(/:2:1: duplicate route route\[0\]/);
  const z = await load('route[0] { rec("zero"); }\nroute { rec("plain"); }');
  await run(z);
  expect(z.calls).toEqual(['zero', 'plain']);
});

test('-c reports every error with file:line:column, in order', async () => {
  const out = await errorsOf(
    [
      'route {',
      '  nosuch_fn("a");',
      '  rec("a", "b");',
      '  failonly();',
      '  $nosuch(x) = 1;',
      '  if ($rm =~ "(") drop;',
      '  route(missing);',
      '  if ("a" - 1) drop;',
      '}',
      'failure_route[f] { failonly(); }',
      'route[s] { failonly(); }',
    ].join('\n'),
    { checkOnly: true },
  );
  const lines = out.split('\n');
  expect(lines).toHaveLength(8);
  expect(lines[0]).toMatch(/:2:3: unknown command 'nosuch_fn' with 1 parameter\(s\), missing loadmodule\?/);
  expect(lines[1]).toMatch(/:3:3: unknown command 'rec' with 2 parameter/);
  expect(lines[2]).toMatch(/:4:3: command 'failonly' cannot be used in this route block/);
  expect(lines[3]).toMatch(/:5:3: .*nosuch/);
  expect(lines[4]).toMatch(/:6:14: bad regular expression/);
  expect(lines[5]).toMatch(/:7:3: route 'missing' is not defined/);
  expect(lines[6]).toMatch(/:8:11: type mismatch/);
  // a sub-route is checked as REQUEST whoever calls it
  expect(lines[7]).toMatch(/:11:12: command 'failonly' cannot be used/);
});

test('syntax errors are reported and parsing recovers at the next statement', async () => {
  const out = await errorsOf('route {\n  $var(a) = ;\n  rec("x")\n  nosuch();\n}');
  expect(out).toMatch(/:2:13: unexpected ';'/);
  expect(out).toMatch(/:4:3: expected ';'/);
});

test('a fixup error becomes a config error at the call', async () => {
  expect(await errorsOf('route {\n  rec("$nosuch(x)");\n}')).toMatch(/:2:3: rec\(\):/);
});

test('read-only PVs cannot be assigned', async () => {
  expect(await errorsOf('route { $rm = "x"; }')).toContain('read-only');
});

test('onsend-only keywords are refused elsewhere', async () => {
  expect(await errorsOf('route { if (snd_port == 1) drop; }')).toContain("'snd_port' can only be used in onsend_route");
});

test('fixups see every route block through core.script.has() while the config compiles', async () => {
  const h = await load('route { onfail("later"); }\nfailure_route[later] { }');
  expect(h.core.script).toBe(h.script);
  expect(await errorsOf('route {\n  onfail("nope");\n}\nfailure_route[later] { }')).toMatch(/:2:3: onfail\(\): failure_route\[nope\] is not defined/);
});

test('a config with errors leaves the previous script in place', async () => {
  const h = await load('route { rec("x"); }');
  await expect(loadConfig(h.core, writeCfg('route { nosuch(); }'))).rejects.toThrow('unknown command');
  expect(h.core.script).toBe(h.script);
});

test('onsend_route accepts only what kamailio accepts there', async () => {
  expect(await errorsOf('route[x] { }\nroute { }\nonsend_route { log("a"); setflag(1); set_forward_no_connect(); if (isflagset(1)) drop; }')).toBe('');
  const out = await errorsOf('route[x] { }\nroute { }\nonsend_route {\n  route(x);\n  seturi("sip:a@b");\n  forward();\n  force_rport();\n  exec("true");\n}');
  expect(out.split('\n')).toEqual([
    expect.stringMatching(/:4:3: route\(\) cannot be used in onsend_route/),
    expect.stringMatching(/:5:3: seturi\(\) cannot be used/),
    expect.stringMatching(/:6:3: forward\(\) cannot be used/),
    expect.stringMatching(/:7:3: force_rport\(\) cannot be used/),
    expect.stringMatching(/:8:3: exec\(\) cannot be used/),
  ]);
});
