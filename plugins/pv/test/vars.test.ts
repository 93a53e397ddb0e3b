import { pvCore, newCtx } from './setup';
import type { RpcContext } from '@sipr/core';

function rpcCall(core: ReturnType<typeof pvCore>['core'], name: string, params: unknown[]) {
  const out: unknown[] = [];
  let fault: [number, string] | null = null;
  const ctx: RpcContext = { params, add: (v) => out.push(v), fault: (c, m) => { fault = [c, m]; } };
  const m = (core.rpc as unknown as { methods: Map<string, { handler: (c: RpcContext) => void }> }).methods.get(name);
  if (!m) throw new Error(`no rpc ${name}`);
  m.handler(ctx);
  return { out, fault: fault as [number, string] | null };
}

describe('$var', () => {
  test('never undefined, keeps int/str type, survives across messages, $null sets 0', () => {
    const { core } = pvCore();
    const v = core.pv.parse('$var(x)');
    const a = newCtx(core);
    expect(v.get(a)).toBe(0);
    v.set(a, 'abc');
    expect(v.get(a)).toBe('abc');
    const b = newCtx(core);
    expect(v.get(b)).toBe('abc');
    v.set(b, 7);
    expect(core.pv.parse('$var(x)').get(a)).toBe(7);
    v.set(b, null);
    expect(v.get(b)).toBe(0);
  });

  test('modparam varset and shvset give start values', () => {
    const { core } = pvCore();
    core.modules.setParam('pv', 'varset', 'n=i:42');
    core.modules.setParam('pv', 'varset', 's=s:hello');
    core.modules.setParam('pv', 'shvset', 'g=s:abc');
    const ctx = newCtx(core);
    expect(core.pv.parse('$var(n)').get(ctx)).toBe(42);
    expect(core.pv.parse('$var(s)').get(ctx)).toBe('hello');
    expect(core.pv.parse('$shv(g)').get(ctx)).toBe('abc');
    expect(() => core.modules.setParam('pv', 'varset', 'bad=i:x')).toThrow(/not an integer/);
    expect(() => core.modules.setParam('pv', 'varset', 'noequals')).toThrow(/expected name=/);
  });

  test('$var and $shv are separate stores', () => {
    const { core } = pvCore();
    const ctx = newCtx(core);
    core.pv.parse('$var(a)').set(ctx, 1);
    expect(core.pv.parse('$shv(a)').get(ctx)).toBe(0);
  });
});

describe('$shv RPC', () => {
  test('pv.shvSet and pv.shvGet answer as kamailio 5.6 does', () => {
    const { core } = pvCore();
    core.modules.setParam('pv', 'shvset', 'limit=i:5');
    core.modules.setParam('pv', 'shvset', 'name=s:abc');
    expect(rpcCall(core, 'pv.shvSet', ['limit', 'int', '10']).out).toEqual(['Ok. Variable set to new value.']);
    expect(core.pv.parse('$shv(limit)').get(newCtx(core))).toBe(10);
    rpcCall(core, 'pv.shvSet', ['name', 'str', 'xyz']);
    expect(rpcCall(core, 'pv.shvGet', ['limit']).out).toEqual([{ name: 'limit', type: 'int', value: 10 }]);
    expect(rpcCall(core, 'pv.shvGet', []).out).toEqual([
      { name: 'limit', type: 'int', value: 10 },
      { name: 'name', type: 'string', value: 'xyz' },
    ]);
    expect(rpcCall(core, 'pv.shvGet', ['nope']).fault).toEqual([404, 'Variable not found']);
    expect(rpcCall(core, 'pv.shvSet', ['nope', 'int', '1']).fault).toEqual([404, 'Variable not found']);
    expect(rpcCall(core, 'pv.shvSet', ['limit', 'float', '1']).fault).toEqual([500, 'Unknown parameter type (Types: int or str)']);
    expect(rpcCall(core, 'pv.shvSet', ['limit', 'int', 'abc']).fault?.[0]).toBe(400);
  });

  test('a variable the script set can be read and set over RPC', () => {
    const { core } = pvCore();
    core.pv.parse('$shv(s)').set(newCtx(core), 'v');
    expect(rpcCall(core, 'pv.shvGet', ['s']).out).toEqual([{ name: 's', type: 'string', value: 'v' }]);
  });
});

describe('$stat', () => {
  test('reads a statistic a loaded module exports; unknown ones are null', () => {
    const { core } = pvCore();
    let n = 3;
    core.modules.registerDescriptor({ name: 'counter', version: '1.0.0', interface: 'native', stats: [{ name: 'hits', get: () => n }] } as never);
    const ctx = newCtx(core);
    expect(core.pv.parse('$stat(hits)').get(ctx)).toBe(3);
    n = 4;
    expect(core.pv.parse('$stat(hits)').get(ctx)).toBe(4);
    expect(core.pv.parse('$stat(nope)').get(ctx)).toBeNull();
  });
});

describe('$cnt', () => {
  test('counts AVP and XAVP values as kamailio 5.6 does; other PVs are refused', () => {
    const { core } = pvCore();
    const ctx = newCtx(core);
    const run = (t: string, v: string | number) => core.pv.parse(t).set(ctx, v);
    for (const v of [1, 2, 3]) run('$avp(x)', v);
    run('$xavp(g=>ip)', '1');
    run('$xavp(g[0]=>ip)', '2');
    run('$xavp(g=>ip)', '3');
    const cnt = (t: string) => core.pv.parse(`$cnt(${t})`).get(ctx);
    expect(cnt('$avp(x)')).toBe(3);
    expect(cnt('$avp(none)')).toBe(0);
    expect(cnt('$xavp(g)')).toBe(2);
    expect(cnt('$xavp(g=>ip)')).toBe(3);
    expect(cnt('$xavp(g[1]=>ip)')).toBe(2);
    expect(cnt('$xavp(g[5]=>ip)')).toBe(0);
    expect(cnt('$xavp(none)')).toBe(0);
    expect(() => core.pv.parse('$cnt($ru)')).toThrow(/cannot be counted/);
    expect(() => core.pv.parse('$cnt($(avp(x){s.len}))')).toThrow(/cannot be counted/);
  });
});

describe('module functions', () => {
  test('pv_isset, pv_unset, is_int', () => {
    const { core } = pvCore();
    const ctx = newCtx(core);
    const call = (fn: string, arg: string) => {
      const f = core.modules.findFunction(fn, 1, 1);
      if (!('fn' in f) || !f.fn) throw new Error(`no ${fn}`);
      const params = f.fn.fixup!([{ value: arg, pos: { file: 't', line: 1, column: 1 } }], { core, fn, routeType: 1, pos: { file: 't', line: 1, column: 1 }, params: [] });
      return f.fn.impl(ctx, ...params);
    };
    expect(call('pv_isset', '$avp(a)')).toBe(-1);
    core.pv.parse('$avp(a)').set(ctx, 5);
    expect(call('pv_isset', '$avp(a)')).toBe(1);
    expect(call('is_int', '$avp(a)')).toBe(1);
    expect(call('is_int', '$rm')).toBe(-1);
    expect(call('pv_unset', '$avp(a)')).toBe(1);
    expect(call('pv_isset', '$avp(a)')).toBe(-1);
  });
});
