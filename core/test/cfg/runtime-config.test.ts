/** The store behind script-declared cfg variables (cfg.* RPCs build on it). */
import { Core } from '../../src/core';
import { cfgStore } from '../../src/cfg/runtime-config';
import { load, run } from './harness';

test('declare, read, change at run time with the same type; list', () => {
  const s = cfgStore(new Core());
  s.declare('g', 'n', 5, 'a number');
  s.declare('g', 's', 'x', '');
  expect(() => s.declare('g', 'n', 1, '')).toThrow('declared twice');
  expect(() => s.declare('g', 'neg', -1, '')).toThrow('negative');
  s.set('g', 'n', 7);
  expect(s.get('g', 'n')?.value).toBe(7);
  expect(() => s.set('g', 'n', 'str')).toThrow('is an int');
  expect(() => s.set('g', 'nope', 1)).toThrow('unknown cfg variable');
  expect(s.list().map((v) => `${v.group}.${v.name}=${v.value}`)).toEqual(['g.n=7', 'g.s=x']);
});

test('a runtime change is seen by the running script', async () => {
  const h = await load('app.limit = 3\nroute { if ($sel(cfg_get.app.limit) == "3") rec("three"); else rec("$sel(cfg_get.app.limit)"); }');
  await run(h);
  cfgStore(h.core).set('app', 'limit', 9);
  await run(h);
  expect(h.calls).toEqual(['three', '9']);
});
