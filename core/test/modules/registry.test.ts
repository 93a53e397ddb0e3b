import { RouteType, SiprError, ErrorCode, type ModuleDescriptor, type ModuleFunction, type RunCtx } from '@sipr/core';
import { quietCore, at, errorOf } from './helpers';

const fn = (name: string, arity: number | 'var', allowed: number, extra: Partial<ModuleFunction> = {}): ModuleFunction => ({
  name, arity, allowed, impl: () => 1, ...extra,
});

describe('findFunction', () => {
  test('matches name, arity and route type; reports why nothing matched', () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 'a', functions: [fn('f', 1, RouteType.REQUEST), fn('f', 2, RouteType.REQUEST | RouteType.FAILURE), fn('v', 'var', RouteType.ANY)] });
    const hit = core.modules.findFunction('f', 1, RouteType.REQUEST);
    expect('fn' in hit && hit.fn.arity === 1 && hit.module === 'a').toBe(true);
    expect(core.modules.findFunction('f', 2, RouteType.FAILURE)).toMatchObject({ module: 'a', fn: { arity: 2 } });
    expect(core.modules.findFunction('f', 1, RouteType.FAILURE)).toEqual({ error: 'route' });
    expect(core.modules.findFunction('f', 3, RouteType.REQUEST)).toEqual({ error: 'unknown' });
    expect(core.modules.findFunction('nope', 0, RouteType.REQUEST)).toEqual({ error: 'unknown' });
    expect(core.modules.findFunction('v', 5, RouteType.ONSEND)).toMatchObject({ module: 'a' });
  });

  test('event route bodies accept request-route functions (3.0: EVENT_ROUTE == REQUEST_ROUTE)', () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 'e', functions: [fn('req', 0, RouteType.REQUEST), fn('ev', 0, RouteType.EVENT), fn('fail', 0, RouteType.FAILURE)] });
    const event = RouteType.EVENT | RouteType.REQUEST;
    expect(core.modules.findFunction('req', 0, event)).toMatchObject({ module: 'e' });
    expect(core.modules.findFunction('ev', 0, RouteType.EVENT)).toMatchObject({ module: 'e' });
    expect(core.modules.findFunction('fail', 0, event)).toEqual({ error: 'route' });
    expect(core.modules.findFunction('ev', 0, RouteType.REQUEST)).toEqual({ error: 'route' });
  });

  test('the newest module wins for the same name and arity', () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 'old', functions: [fn('same', 0, RouteType.ANY)] });
    core.modules.registerDescriptor({ name: 'new', functions: [fn('same', 0, RouteType.REQUEST)] });
    expect(core.modules.findFunction('same', 0, RouteType.REQUEST)).toMatchObject({ module: 'new' });
    // the newer one is not allowed in a failure route: the older one still is
    expect(core.modules.findFunction('same', 0, RouteType.FAILURE)).toMatchObject({ module: 'old' });
  });

  test('API-only functions are not script functions but are found by findExport', () => {
    const { core } = quietCore();
    const api = { bind: () => 'bound' };
    core.modules.registerDescriptor({ name: 'm', functions: [fn('load_m', 0, 0, { script: false })], api });
    expect(core.modules.findFunction('load_m', 0, RouteType.REQUEST)).toEqual({ error: 'unknown' });
    expect(core.modules.findExport<ModuleFunction>('m', 'load_m')?.name).toBe('load_m');
    expect(core.modules.findExport<typeof api.bind>('m', 'bind')?.()).toBe('bound');
    expect(core.modules.findExport('m', 'nothing')).toBeUndefined();
    expect(core.modules.findExport('absent', 'bind')).toBeUndefined();
  });
});

describe('setParam (modparam)', () => {
  function withParams() {
    const { core } = quietCore();
    const seen: string[] = [];
    const mod = (name: string): Partial<ModuleDescriptor> & { name: string } => ({
      name,
      params: [
        { name: 'timeout', type: 'int', set: (v) => { seen.push(`${name}.timeout=${v}`); } },
        { name: 'timeout', type: 'str', set: (v) => { seen.push(`${name}.timeout="${v}"`); } },
        { name: 'db_url', type: 'str', set: (v) => { seen.push(`${name}.db_url=${v}`); } },
        { name: 'limit', type: 'int', set: (v) => { if ((v as number) > 10) throw new Error('limit must be <= 10'); seen.push(`${name}.limit=${v}`); } },
      ],
    });
    core.modules.registerDescriptor(mod('usrloc'));
    core.modules.registerDescriptor(mod('registrar'));
    core.modules.registerDescriptor({ name: 'tm', params: [{ name: 'fr_timer', type: 'int', set: (v) => { seen.push(`tm.fr_timer=${v}`); } }] });
    return { core, seen };
  }

  test('picks the param of the value\'s type (a name may exist as int and as str)', () => {
    const { core, seen } = withParams();
    core.modules.setParam('usrloc', 'timeout', 5);
    core.modules.setParam('usrloc', 'timeout', '5s');
    expect(seen).toEqual(['usrloc.timeout=5', 'usrloc.timeout="5s"']);
  });

  test('the module is a case-insensitive regex anchored at both ends', () => {
    const { core, seen } = withParams();
    core.modules.setParam('USRLOC|registrar', 'db_url', 'mysql://x');
    core.modules.setParam('reg.*', 'limit', 3);
    expect(seen).toEqual(['usrloc.db_url=mysql://x', 'registrar.db_url=mysql://x', 'registrar.limit=3']);
    // 'loc' alone does not match 'usrloc'
    expect(errorOf(() => core.modules.setParam('loc', 'db_url', 'x', at('k.cfg', 7, 10))).format()).toBe('k.cfg:7:10: modparam: no module matching "loc" is loaded');
  });

  test('".*" must find the param in every module', () => {
    const { core } = withParams();
    const e = errorOf(() => core.modules.setParam('.*', 'db_url', 'x', at('k.cfg', 3, 1)));
    expect(e.code).toBe(ErrorCode.MODPARAM);
    expect(e.format()).toBe('k.cfg:3:1: modparam: parameter "db_url" of type str not found in module tm');
  });

  test('unknown param, wrong type, refused value, bad regex: each with file:line:column', () => {
    const { core } = withParams();
    expect(errorOf(() => core.modules.setParam('tm', 'nosuch', 1, at('k.cfg', 1, 2))).format()).toBe('k.cfg:1:2: modparam: parameter "nosuch" of type int not found in module tm');
    expect(errorOf(() => core.modules.setParam('tm', 'fr_timer', '30', at('k.cfg', 2, 3))).format())
      .toBe('k.cfg:2:3: modparam: parameter "fr_timer" of type str not found in module tm (it takes an int)');
    expect(errorOf(() => core.modules.setParam('usrloc', 'db_url', 1, at('k.cfg', 3, 4))).format())
      .toBe('k.cfg:3:4: modparam: parameter "db_url" of type int not found in module usrloc (it takes a string)');
    expect(errorOf(() => core.modules.setParam('usrloc', 'limit', 11, at('k.cfg', 4, 5))).format()).toBe('k.cfg:4:5: modparam("usrloc", "limit"): usrloc: limit must be <= 10');
    expect(errorOf(() => core.modules.setParam('(usrloc', 'limit', 1, at('k.cfg', 5, 6))).format()).toMatch(/^k\.cfg:5:6: modparam: bad module regex "\(usrloc": /);
  });
});

describe('lifecycle', () => {
  test('register at load, init in load order, child_init in load order, destroy newest first', async () => {
    const { core } = quietCore();
    const order: string[] = [];
    const mod = (name: string): ModuleDescriptor => ({
      name, version: '1', interface: 'native', functions: [], params: [], rpc: [], pvs: [], selects: [], stats: [], mi: [],
      register: () => { order.push(`${name}.register`); },
      init: async () => { await Promise.resolve(); order.push(`${name}.init`); },
      childInit: (rank) => { order.push(`${name}.child_init(${rank})`); },
      destroy: () => { order.push(`${name}.destroy`); },
    });
    core.hooks.init.tapPromise('native', async () => { order.push('hooks.init'); });
    core.hooks.destroy.tap('native', () => { order.push('hooks.destroy'); });
    core.modules.registerDescriptor(mod('a'));
    core.modules.registerDescriptor(mod('b'));
    expect(order).toEqual(['a.register', 'b.register']);
    await core.modules.initAll();
    await core.modules.childInitAll(1);
    await core.modules.destroyAll();
    expect(order).toEqual([
      'a.register', 'b.register', 'a.init', 'b.init', 'hooks.init', 'a.child_init(1)', 'b.child_init(1)', 'b.destroy', 'a.destroy', 'hooks.destroy',
    ]);
    expect(core.modules.list().map((m) => m.descriptor.name)).toEqual(['a', 'b']);
  });

  test('a failing init stops startup and names the module and the loadmodule line', async () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 'ok', init: () => undefined });
    core.modules.registerDescriptor({ name: 'bad', init: () => { throw new Error('cannot connect to db'); } }, '<test>', at('k.cfg', 4));
    const e = await core.modules.initAll().then(() => null, (x: SiprError) => x);
    expect(e?.code).toBe(ErrorCode.MODULE_INIT);
    expect(e?.format()).toBe('k.cfg:4:1: module bad: init failed: cannot connect to db');
  });

  test('a failing destroy is logged and the others still run', async () => {
    const { core, logs } = quietCore();
    const done: string[] = [];
    core.modules.registerDescriptor({ name: 'a', destroy: () => { done.push('a'); } });
    core.modules.registerDescriptor({ name: 'b', destroy: () => { throw new Error('boom'); } });
    await core.modules.destroyAll();
    expect(done).toEqual(['a']);
    expect(logs).toEqual([expect.stringMatching(/ERROR: module b: destroy failed: boom$/)]);
  });

  test('registerDescriptor refuses a second module of the same name', () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 'x' });
    expect(errorOf(() => core.modules.registerDescriptor({ name: 'x' }, 'elsewhere')).code).toBe(ErrorCode.MODULE_DUPLICATE);
  });
});

describe('exports reach the other registries', () => {
  test('RPCs are registered at load; a duplicate RPC refuses the module', async () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 'a', rpc: [{ name: 'a.ping', doc: 'Ping.', handler: (c) => c.add('pong') }] });
    expect(await core.rpc.invoke('a.ping', [])).toEqual({ ok: true, values: ['pong'] });
    const e = errorOf(() => core.modules.registerDescriptor({ name: 'b', rpc: [{ name: 'a.ping', doc: '', handler: () => undefined }] }, '<test>', at('k.cfg', 9)));
    expect(e.format()).toBe('k.cfg:9:1: module b: RPC method a.ping is exported twice (by a and b)');
    expect(core.modules.get('b')).toBeUndefined();
  });

  test('PV classes are registered with the pv registry', () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 'p', pvs: [{ name: 'hello', inner: 'none', get: () => 'hi' }] });
    expect(core.pv.has('hello')).toBe(true);
  });

  test('selects are registered with the select registry', () => {
    const { core } = quietCore();
    core.modules.registerDescriptor({ name: 's', selects: [{ path: ['mod_sel'], handler: (_ctx, rest) => `got ${rest.join('/')}` }] });
    const sel = core.selects.parse('@mod_sel.a.b');
    expect(sel.get({} as RunCtx)).toBe('got a/b');
  });

  test('onReply: 0 from any module consumes the reply', () => {
    const { core } = quietCore();
    const calls: string[] = [];
    core.modules.registerDescriptor({ name: 'a', onReply: () => { calls.push('a'); return 1; } });
    core.modules.registerDescriptor({ name: 'tm', onReply: (ctx) => { calls.push('tm'); return ctx.rc === 7 ? 0 : 1; } });
    const ctx = { rc: 7 } as RunCtx;
    expect(core.modules.onReply(ctx)).toBe(0);
    ctx.rc = 1;
    expect(core.modules.onReply(ctx)).toBe(1);
    expect(calls).toEqual(['a', 'tm', 'a', 'tm']);
  });
});
