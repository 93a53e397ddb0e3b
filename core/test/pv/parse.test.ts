import { newCore, newCtx } from './helpers';
import { PvError } from '../../src/pv/error';
import type { PvClassDef } from '../../src/pv/types';

function setup(mode: 'kamailio' | 'ser' | 'all' = 'kamailio') {
  const core = newCore(mode);
  const seen: unknown[] = [];
  const plain: PvClassDef = { name: 'plain', inner: 'none', get: () => 'P' };
  const needs: PvClassDef = {
    name: 'needs',
    inner: 'required',
    indexable: true,
    parseInner: (inner) => inner.toUpperCase(),
    get: (_ctx, inner, index) => {
      seen.push(index);
      return `N:${inner}`;
    },
  };
  const opt: PvClassDef = { name: 'opt', inner: 'optional', get: (_c, inner) => (inner === null ? 'bare' : `in:${inner}`) };
  const dotted: PvClassDef = { name: 'ruri.user', inner: 'none', get: () => 'dotted' };
  let stored: unknown = 'init';
  const rw: PvClassDef = { name: 'rw', inner: 'none', get: () => stored as string, set: (_c, _i, _x, v) => { stored = v; } };
  for (const d of [plain, needs, opt, dotted, rw]) core.pv.registerClass(d);
  return { core, ctx: newCtx(core), seen };
}

function err(fn: () => unknown): PvError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PvError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('PV spec parsing', () => {
  test('short, inner, bracketed and dotted forms', () => {
    const { core, ctx } = setup();
    expect(core.pv.parse('$plain').get(ctx)).toBe('P');
    expect(core.pv.parse('$needs(abc)').get(ctx)).toBe('N:ABC');
    expect(core.pv.parse('$opt').get(ctx)).toBe('bare');
    expect(core.pv.parse('$opt(x(y)z)').get(ctx)).toBe('in:x(y)z');
    expect(core.pv.parse('$(plain)').get(ctx)).toBe('P');
    expect(core.pv.parse('$(ruri.user)').get(ctx)).toBe('dotted');
    expect(core.pv.parse('$(needs(q){s.len})').get(ctx)).toBe(3);
  });

  test('indexes: n, -n, * and a PV', () => {
    const { core, ctx, seen } = setup();
    core.pv.parse('$(needs(a)[2])').get(ctx);
    core.pv.parse('$(needs(a)[-1])').get(ctx);
    core.pv.parse('$(needs(a)[*])').get(ctx);
    const s = core.pv.parse('$(needs(a)[$plain])');
    s.get(ctx);
    expect(seen.slice(0, 3)).toEqual([{ kind: 'n', n: 2 }, { kind: 'n', n: -1 }, { kind: 'all' }]);
    expect((seen[3] as { kind: string }).kind).toBe('pv');
  });

  test('$rc, $? and $retcode read the last return code', () => {
    const { core, ctx } = setup();
    ctx.rc = -2;
    for (const t of ['$rc', '$?', '$retcode']) expect(core.pv.parse(t).get(ctx)).toBe(-2);
  });

  test('writable only when the class has a setter and no transformation', () => {
    const { core, ctx } = setup();
    const rw = core.pv.parse('$rw');
    expect(rw.writable).toBe(true);
    rw.set(ctx, 'new');
    expect(rw.get(ctx)).toBe('new');
    expect(core.pv.parse('$(rw{s.len})').writable).toBe(false);
    expect(core.pv.parse('$plain').writable).toBe(false);
    expect(() => core.pv.parse('$plain').set(ctx, 'x')).toThrow(/read-only/);
  });

  test.each([
    ['$nosuch', /unknown pseudo-variable/, 1],
    ['$needs', /needs an inner name/, 1],
    ['$plain(x)', /takes no inner name/, 1],
    ['$(plain[1])', /has no index/, 1],
    ['$(needs(a)[x])', /bad index/, 0],
    ['$(needs(a', /missing '\)'/, 1],
    ['$(needs(a){s.nope})', /unknown transformation '\{s.nope\}'/, 0],
    ['$(needs(a){s.substr,1})', /needs 2 parameter/, 0],
    ['$(needs(a){s.substr,x,1})', /expects an integer/, 0],
    ['$(needs(a){s.len,1})', /too many parameters/, 0],
    ['$', /expected a pseudo-variable name/, 1],
    ['$plain+', /unexpected '\+'/, 6],
  ])('%s is refused', (text, re, offset) => {
    const { core } = setup();
    const e = err(() => core.pv.parse(text));
    expect(e.message).toMatch(re);
    expect(e.code).toBe('SIPR_CFG_PV');
    expect(e.offset).toBe(offset);
  });

  test('names are case-sensitive', () => {
    const { core } = setup();
    expect(() => core.pv.parse('$PLAIN')).toThrow(/unknown pseudo-variable/);
  });

  test('pvEnd tells the config lexer where a PV stops', () => {
    const { core } = setup();
    expect(core.pv.pvEnd('$plain;', 0)).toBe(6);
    expect(core.pv.pvEnd('x=$needs(a(b));', 2)).toBe(14);
    expect(core.pv.pvEnd('$(needs(a)[1]{s.len}) ', 0)).toBe(21);
  });
});

describe('formats', () => {
  test('literal text, $$ and PVs; null prints <null>', () => {
    const { core, ctx } = setup();
    core.pv.registerClass({ name: 'nul', inner: 'none', get: () => null });
    const f = core.pv.parseFormat('a $plain-$needs(x) $$5 $nul.');
    expect(f.isStatic).toBe(false);
    expect(f.print(ctx)).toBe('a P-N:X $5 <null>.');
  });

  test('static detection and single-PV formats', () => {
    const { core, ctx } = setup();
    const s = core.pv.parseFormat('no pvs here $$');
    expect(s.isStatic).toBe(true);
    expect(s.print(ctx)).toBe('no pvs here $');
    expect(core.pv.parseFormat('').print(ctx)).toBe('');
    const one = core.pv.parseFormat('$rc');
    expect(one.single?.get(ctx)).toBe(1);
    expect(core.pv.parseFormat('x$rc').single).toBeNull();
  });

  test('an error in a format reports the offset of the bad PV', () => {
    const { core } = setup();
    const e = err(() => core.pv.parseFormat('hello $nosuch world'));
    expect(e.offset).toBe(7);
  });
});

describe('compat modes', () => {
  test('#!KAMAILIO: an unknown $foo is an error', () => {
    const { core } = setup('kamailio');
    expect(() => core.pv.parse('$foo')).toThrow(/unknown pseudo-variable/);
  });

  test('#!ALL: unknown $foo is a SER AVP, known classes stay classes', () => {
    const { core, ctx } = setup('all');
    const foo = core.pv.parse('$foo');
    expect(foo.className).toBe('avp');
    foo.set(ctx, 'v1');
    expect(foo.get(ctx)).toBe('v1');
    expect(core.pv.parse('$plain').get(ctx)).toBe('P');
    expect(() => core.pv.parse('$needs')).toThrow(/needs an inner name/);
  });

  test('#!SER: a bare $name is always an AVP', () => {
    const { core, ctx } = setup('ser');
    const p = core.pv.parse('$plain');
    expect(p.className).toBe('avp');
    expect(p.get(ctx)).toBeNull();
    expect(core.pv.parse('$needs(a)').get(ctx)).toBe('N:A');
    expect(core.pv.parse('$?').get(ctx)).toBe(1);
  });

  test('#!SER: formats still read PV classes first', () => {
    const { core, ctx } = setup('ser');
    expect(core.pv.parseFormat('[$plain] [$other]').print(ctx)).toBe('[P] [<null>]');
  });

  test('the mode argument overrides core.compatMode', () => {
    const { core } = setup('kamailio');
    expect(core.pv.parse('$foo', 'all').className).toBe('avp');
  });
});
