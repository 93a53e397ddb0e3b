import { Core, Logger, LogLevel, RouteType, SiprError, type RunCtx, type ModuleDescriptor } from '@sipr/core';
import {
  adaptKamailio, adaptSer, apply, defineKamailioModule, defineSerModule, createStat,
  PARAM_INT, PARAM_STR, PARAM_STRING, PARAM_USE_FUNC, STAT_IS_FUNC, STAT_NO_RESET, VAR_PARAM_NO, NO_SCRIPT,
  REQUEST_ROUTE, FAILURE_ROUTE, fixup_int_1,
} from '@sipr/compat';

const newCore = () => new Core({ log: new Logger(LogLevel.ERR, '', () => undefined) });
const pos = (line: number) => ({ file: 'k.cfg', line, column: 3 });
const fixupSite = (core: Core, line = 1) => ({ core, fn: 'f', routeType: RouteType.REQUEST, pos: pos(line), params: [] });

describe('kamailio shape', () => {
  test('tuple and object command entries, variadic and API-only ones', () => {
    const d = adaptKamailio(defineKamailioModule({
      name: 'k',
      cmds: [
        ['two', () => 1, 2, null, null, REQUEST_ROUTE | FAILURE_ROUTE],
        { name: 'obj', function: () => 2, param_no: 0, flags: REQUEST_ROUTE, async: true },
        ['many', () => 3, VAR_PARAM_NO, null, null, REQUEST_ROUTE],
        ['load_k', () => 0, NO_SCRIPT, null, null, 0],
        ['lookup', async () => 1, 1, null, null, REQUEST_ROUTE],
      ],
    }));
    expect(d.functions.map((f) => [f.name, f.arity, f.allowed, f.async ?? false, f.script ?? true])).toEqual([
      ['two', 2, 3, false, true], ['obj', 0, 1, true, true], ['many', 'var', 1, false, true], ['load_k', 'var', 0, false, false],
      ['lookup', 1, 1, true, true],
    ]);
    expect(d.interface).toBe('kamailio');
  });

  test('fixups get each literal as a string with its position; failures point at the parameter', () => {
    const seen: unknown[] = [];
    const d = adaptKamailio({
      name: 'k',
      cmds: [
        ['f', (_ctx: RunCtx, a: number, b: string) => a + b.length, 2, (v, n) => { seen.push([v, n]); return n === 1 ? fixup_int_1(v, n, null as never) : v; }, null, REQUEST_ROUTE],
        ['z', () => 1, 0, (v, n) => { seen.push([v, n]); return null; }, null, REQUEST_ROUTE],
      ],
    });
    const core = newCore();
    const f = d.functions[0];
    const fixed = f.fixup!([{ value: 5, pos: pos(2) }, { value: 'abc', pos: pos(3) }], fixupSite(core));
    expect(fixed).toEqual([5, 'abc']);
    expect(f.impl({} as RunCtx, ...fixed)).toBe(8);
    expect(d.functions[1].fixup!([], fixupSite(core))).toEqual([]);
    expect(seen).toEqual([['5', 1], ['abc', 2], [null, 0]]);
    let err: SiprError | undefined;
    try {
      f.fixup!([{ value: 'x', pos: pos(4) }, { value: 'y', pos: { file: 'k.cfg', line: 4, column: 9 } }], fixupSite(core, 4));
    } catch (e) {
      err = e as SiprError;
    }
    expect(err?.format()).toBe('k.cfg:4:3: parameter 1: "x" is not an integer (module k)');
  });

  test('params: holders, setter functions, both types under one name; bad tables are refused', () => {
    const mode = { value: 'none' };
    const timeout = { value: 10 };
    const calls: unknown[] = [];
    const d = adaptKamailio({
      name: 'k',
      params: [
        ['mode', PARAM_STRING, mode],
        ['mode', PARAM_INT | PARAM_USE_FUNC, (type: number, v: number) => { calls.push([type, v]); return v > 3 ? -1 : 0; }],
        ['timeout', PARAM_INT, timeout],
        ['db_url', PARAM_STR, { value: '' }],
      ],
    });
    expect(d.params.map((p) => [p.name, p.type])).toEqual([['mode', 'str'], ['mode', 'int'], ['timeout', 'int'], ['db_url', 'str']]);
    d.params[0].set('strict');
    d.params[1].set(2);
    d.params[2].set(30);
    expect([mode.value, timeout.value, calls]).toEqual(['strict', 30, [[PARAM_INT, 2]]]);
    expect(() => d.params[1].set(9)).toThrow('invalid value 9');
    expect(() => adaptKamailio({ name: 'k', params: [['x', 64, { value: 1 }]] })).toThrow('param x: unknown type 64');
    expect(() => adaptKamailio({ name: 'k', params: [['x', PARAM_INT | PARAM_USE_FUNC, { value: 1 }]] })).toThrow('param x: PARAM_USE_FUNC needs a function');
  });

  test('stats: counters (resettable unless STAT_NO_RESET) and computed values', () => {
    const hits = createStat();
    const kept = createStat();
    const d = adaptKamailio({ name: 'k', stats: [['hits', 0, hits], ['kept', STAT_NO_RESET, kept], ['now', STAT_IS_FUNC, () => 99]] });
    hits.inc(3);
    kept.inc();
    expect(d.stats.map((s) => [s.name, s.get!(), s.noReset ?? false, typeof s.reset])).toEqual([
      ['hits', 3, false, 'function'], ['kept', 1, true, 'undefined'], ['now', 99, true, 'undefined'],
    ]);
    d.stats[0].reset!();
    expect(hits.value).toBe(0);
  });

  test('lifecycle: C-style negative returns fail, procs start in worker 1, response becomes onReply', async () => {
    const order: string[] = [];
    const core = newCore();
    const d = adaptKamailio({
      name: 'k',
      register: () => { order.push('register'); },
      apply: (c: Core) => { c.hooks.postScript.tap('k', () => undefined); order.push('apply'); },
      init: () => -1,
      child_init: (rank: number) => { order.push(`child_init ${rank}`); return 0; },
      procs: [{ name: 'worker', count: 2, function: (rank: number) => { order.push(`proc ${rank}`); } }],
      response: () => 0,
      mi_cmds: [['k_dump', () => ({ ok: 1 })]],
    });
    d.register!(core);
    await expect(Promise.resolve(d.init!(core))).rejects.toThrow('init returned -1');
    await d.childInit!(2, core);
    await d.childInit!(1, core);
    expect(order).toEqual(['apply', 'register', 'child_init 2', 'child_init 1', 'proc 1', 'proc 2']);
    expect(d.onReply!({} as RunCtx)).toBe(0);
    expect(d.mi.map((m) => m.name)).toEqual(['k_dump']);
    expect(core.hooks.postScript.isUsed()).toBe(true);
  });
});

describe('ser shape', () => {
  test('five-field commands, RPCs in the exports, selects passed through', async () => {
    const d = adaptSer(defineSerModule({
      name: 's',
      version: '3.0',
      cmds: [['s_f', () => 1, 1, null, REQUEST_ROUTE]],
      rpc_methods: [['s.get', (rpc) => rpc.add(1), 'Gets.'], { name: 's.set', function: (rpc) => rpc.add(rpc.params[0]), doc_str: ['Sets.', 's'] }],
      selects: [{ path: ['s_sel'], handler: () => 'v' }],
    }));
    expect(d.functions.map((f) => [f.name, f.arity, f.allowed])).toEqual([['s_f', 1, REQUEST_ROUTE]]);
    expect(d.rpc.map((r) => [r.name, r.doc])).toEqual([['s.get', 'Gets.'], ['s.set', 'Sets.']]);
    expect(d.selects[0].path).toEqual(['s_sel']);
    expect([d.interface, d.version]).toEqual(['ser', '3.0']);
  });

  test('onbreak runs when a top-level run ended with 0', () => {
    const core = newCore();
    const broke: number[] = [];
    const d = adaptSer({ name: 's', onbreak: (ctx) => { broke.push(ctx.rc); } });
    d.register!(core);
    core.hooks.postScript.call({ rc: 1 } as RunCtx);
    core.hooks.postScript.call({ rc: 0 } as RunCtx);
    expect(broke).toEqual([0]);
  });
});

describe('apply(core)', () => {
  test('taps the adapters once; an export without a name is refused', () => {
    const core = newCore();
    apply(core);
    apply(core);
    const hook = core.hooks.adaptModule.for('kamailio');
    expect(hook.taps).toHaveLength(1);
    const d = hook.call({ name: 'x', exported: { name: 'x' }, location: '/m' }) as ModuleDescriptor;
    expect(d.name).toBe('x');
    expect(() => core.hooks.adaptModule.for('ser').call({ name: 'x', exported: () => 1, location: '/m' })).toThrow('the module export is not a module definition (no name)');
  });
});
