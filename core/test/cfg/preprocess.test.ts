/** Preprocessor (§2.1 plus the later #!define values, #!subst, #!trydef, #!redefine, import_file, -A). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preprocessConfig } from '../../src/cfg/load';
import { load, run, recs, errorsOf, writeCfg, dir } from './harness';

test('#!ifdef / #!ifndef / #!else / #!endif, nested', async () => {
  const body = `#!define A
#!ifdef A
  rec("a");
  #!ifdef B
    rec("b");
  #!else
    rec("not b");
    #!ifndef C
      rec("not c");
    #!endif
  #!endif
#!else
  rec("not a");
#!endif`;
  expect(await recs(body)).toEqual(['a', 'not b', 'not c']);
});

test('-A defines from the command line, with values', async () => {
  const h = await load('#!ifdef WITH_X\nroute { rec("x"); rec(VAL); }\n#!endif', { defines: { WITH_X: true, VAL: '"from -A"' } });
  await run(h);
  expect(h.calls).toEqual(['x', 'from -A']);
});

test('#!define NAME value substitutes later identifiers, including in expressions', async () => {
  expect(await recs('$var(x) = LIMIT + 1; rec("$var(x)"); if (method == METH) rec("m");', '#!define LIMIT 41\n#!define METH "INVITE"')).toEqual(['42', 'm']);
});

test('#!trydef keeps an earlier value, #!redefine replaces it, #!define twice is an error', async () => {
  expect(await recs('rec(V);', '#!define V "one"\n#!trydef V "two"')).toEqual(['one']);
  expect(await recs('rec(V);', '#!define V "one"\n#!redefine V "two"')).toEqual(['two']);
  expect(await errorsOf('#!define V 1\n#!define V 2\nroute { }')).toContain(":2:1: redefinition of 'V'");
});

test('#!subst rewrites string literals; #!substdef also defines the name', async () => {
  expect(await recs('rec("host is DOMAIN");', '#!subst "/DOMAIN/example.org/g"')).toEqual(['host is example.org']);
  expect(await recs('rec("x-ADDR"); rec(ADDR);', '#!substdef "/ADDR/10.0.0.1/"')).toEqual(['x-10.0.0.1', '10.0.0.1']);
  expect(await recs('$var(s) = NAME + "!"; rec("$var(s)");', '#!substdefs "/NAME/a b/"')).toEqual(['a b!']);
});

test('compat mode directives are recorded per token and at the end in core.compatMode', async () => {
  const h = await load('#!KAMAILIO\nroute { rec("k"); }\n');
  expect(h.core.compatMode).toBe('kamailio');
  const s = await load('#!SER\n#!ALL\nroute { }\n');
  expect(s.core.compatMode).toBe('all');
});

test('include_file anywhere (inside a route), relative to the including file, nested', async () => {
  writeFileSync(join(dir, 'inc-inner.cfg'), 'rec("inner");\n');
  writeFileSync(join(dir, 'inc-outer.cfg'), 'rec("outer");\ninclude_file "inc-inner.cfg"\n');
  writeFileSync(join(dir, 'inc-sub.cfg'), 'route[sub] { rec("sub"); }\n');
  expect(await recs('include_file "inc-outer.cfg"\nroute(sub);', 'include_file "inc-sub.cfg"')).toEqual(['outer', 'inner', 'sub']);
});

test('errors inside an included file name that file and line', async () => {
  writeFileSync(join(dir, 'inc-bad.cfg'), '\n\n  $var(x) = ;\n');
  const out = await errorsOf('route {\n include_file "inc-bad.cfg"\n}');
  expect(out).toContain(`${join(dir, 'inc-bad.cfg')}:3:13:`);
});

test('include loops and missing files are errors; import_file skips a missing file', async () => {
  writeFileSync(join(dir, 'loop-a.cfg'), 'include_file "loop-b.cfg"\n');
  writeFileSync(join(dir, 'loop-b.cfg'), 'include_file "loop-a.cfg"\n');
  expect(await errorsOf('include_file "loop-a.cfg"\nroute {}')).toContain('include loop');
  expect(await errorsOf('include_file "nope.cfg"\nroute {}')).toMatch(/:1:14: cannot open included file "nope.cfg"/);
  expect(await recs('rec("ok");', 'import_file "nope.cfg"')).toEqual(['ok']);
});

test('malformed directives are errors', async () => {
  expect(await errorsOf('#!ifdef\n#!endif\nroute {}')).toContain(':1:1: #!ifdef needs one name');
  expect(await errorsOf('#!KAMAILIO extra\nroute {}')).toContain(':1:1: #!KAMAILIO must be alone on its line');
  expect(await errorsOf('#!nosuch\nroute {}')).toContain(':1:1: unknown preprocessor directive #!nosuch');
});

test('unbalanced conditionals are errors', async () => {
  expect(await errorsOf('#!ifdef X\nroute {}')).toContain('missing #!endif');
  expect(await errorsOf('#!endif\nroute {}')).toContain('#!endif without #!ifdef');
});

test('preprocessConfig prints the effective config', () => {
  writeFileSync(join(dir, 'pp-inc.cfg'), 'debug = 2\n');
  const f = writeCfg('#!define PORT 5070\n#!ifdef NOPE\nchildren = 4\n#!endif\ninclude_file "pp-inc.cfg"\nport = PORT /* c */\nroute { drop; }\n');
  expect(preprocessConfig(f, { X: true })).toBe('debug = 2\nport = 5070\nroute { drop; }\n');
});

test('preprocessConfig output reads back to the same strings', () => {
  const f = writeCfg('route { $var(a) = "t\\tq\\"b\\\\s\\.\\a\\x01" + \'raw\\n\'; }\n');
  const once = preprocessConfig(f);
  const again = preprocessConfig(writeCfg(once));
  expect(again).toBe(once);
  expect(once).toBe('route { $var(a) = "t\\tq\\"b\\\\s\\\\.\\a\\x01" + "raw\\\\n"; }\n');
});

test('a define value glues with its neighbours (listen=udp:MY_IP:5060), #!substdef with another delimiter', async () => {
  const h = await load('#!substdef "!MY_IP!127.0.0.1!g"\n#!define MY_PORT 5070\nlisten=udp:MY_IP:MY_PORT\nalias="MY_IP"\nroute { }');
  expect(h.core.globals.get('listen')).toEqual([{ proto: 'udp', host: '127.0.0.1', port: 5070, text: 'udp:127.0.0.1:5070' }]);
  expect(h.core.globals.get('alias')).toEqual([{ proto: '', host: '127.0.0.1', port: 0, text: '127.0.0.1' }]);
});

test('the compat mode of each region decides how $name is read (KAMAILIO: PV only, ALL: AVP fallback)', async () => {
  const out = await errorsOf('#!KAMAILIO\nroute[k] { $foo = 1; }\n#!ALL\nroute { $foo = 1; route(k); }\n');
  expect(out.split('\n')).toEqual([expect.stringMatching(/:2:12: .*foo/)]);
  expect(await recs('$foo = "v"; $var(x) = $foo; rec("$var(x)");', '#!SER')).toEqual(['v']);
});

test('modparam setters see the compat mode of their line', async () => {
  const h = await load('#!SER\nmodparam("t", "p", 1)\n#!KAMAILIO\nmodparam("t", "p", 2)\n#!ALL\nroute { }');
  expect(h.calls).toEqual(['p=1 in ser', 'p=2 in kamailio']);
  expect(h.core.compatMode).toBe('all');
});

test('!! is the later spelling of #! for directives; !!$x stays a double negation', async () => {
  const body = '#!ifdef B\nrec("b");\n!!else\nrec("not b");\n!!endif\n$var(one) = 1; $var(x) = !!$var(one); rec("x=$var(x)"); rec(A);';
  expect(await recs(body, '!!define A "a"\n!!KAMAILIO')).toEqual(['not b', 'x=1', 'a']);
});

test('#!include_file / !!include_file / #!import_file directive forms', async () => {
  writeFileSync(join(dir, 'inc-d1.cfg'), 'rec("d1");\n');
  writeFileSync(join(dir, 'inc-d2.cfg'), 'rec("d2");\n');
  expect(await recs('#!include_file "inc-d1.cfg"\n!!include_file "inc-d2.cfg"\n#!import_file "missing.cfg"\nrec("end");')).toEqual(['d1', 'd2', 'end']);
  expect(await errorsOf('#!include_file "missing.cfg"\nroute { }')).toContain(':1:1: cannot open included file "missing.cfg"');
});

test('#!defenv and #!defenvs define names from the environment', async () => {
  process.env.SIPR_CFG_TEST_PORT = '5099';
  process.env.SIPR_CFG_TEST_HOST = 'example.org';
  expect(await recs('$var(p) = PORT + 1; rec("$var(p)"); rec(SIPR_CFG_TEST_HOST);', '#!defenv PORT=SIPR_CFG_TEST_PORT\n#!defenvs SIPR_CFG_TEST_HOST')).toEqual(['5100', 'example.org']);
});

test('code after #!else / #!endif / #!ifdef NAME on the same line is still read', async () => {
  expect(await recs('#!ifdef A rec("a");\n#!else rec("not a");\n#!endif rec("after");', '#!define A')).toEqual(['a', 'after']);
  expect(await recs('#!ifdef A rec("a");\n#!else rec("not a");\n#!endif rec("after");')).toEqual(['not a', 'after']);
});
