import { newCore, newCtx } from './helpers';
import { avpClass, AvpAliases, storesOf } from '../../src/pv/avp';

function setup(mode: 'kamailio' | 'all' | 'ser' = 'kamailio') {
  const core = newCore(mode);
  const aliases = new AvpAliases();
  aliases.add('cnt=i:5;who=s:caller');
  core.pv.registerClass(avpClass(aliases));
  core.pv.registerClass({ name: 'var', inner: 'required', get: (_c, n) => (n === 'name' ? 'dyn' : 1) });
  const ctx = newCtx(core);
  const pv = (t: string, m = mode) => core.pv.parse(t, m);
  const get = (t: string, m = mode) => pv(t, m).get(ctx);
  const set = (t: string, v: string | number | null, m = mode) => pv(t, m).set(ctx, v);
  return { core, ctx, get, set };
}

describe('$avp stack semantics', () => {
  test('assignment pushes; [0] newest, [n] older, [-1] oldest, [*] joined newest first', () => {
    const { get, set } = setup();
    set('$avp(x)', 1);
    set('$avp(x)', 'two');
    set('$avp(x)', 3);
    expect(get('$avp(x)')).toBe(3);
    expect(get('$(avp(x)[0])')).toBe(3);
    expect(get('$(avp(x)[1])')).toBe('two');
    expect(get('$(avp(x)[2])')).toBe(1);
    expect(get('$(avp(x)[-1])')).toBe(1);
    expect(get('$(avp(x)[-3])')).toBe(3);
    expect(get('$(avp(x)[3])')).toBeNull();
    expect(get('$(avp(x)[-4])')).toBeNull();
    expect(get('$(avp(x)[*])')).toBe('3, two, 1');
    expect(get('$avp(y)')).toBeNull();
  });

  test('$null deletes the newest; [*] = $null deletes all; [*] = v replaces all', () => {
    const { get, set } = setup();
    for (const v of [1, 2, 3]) set('$avp(x)', v);
    set('$avp(x)', null);
    expect(get('$(avp(x)[*])')).toBe('2, 1');
    set('$(avp(x)[*])', 'only');
    expect(get('$(avp(x)[*])')).toBe('only');
    set('$(avp(x)[*])', null);
    expect(get('$avp(x)')).toBeNull();
  });

  test('an [n] index is ignored on writes (pushes / deletes the newest), as Kamailio does', () => {
    const { get, set } = setup();
    for (const v of [1, 2, 3]) set('$avp(x)', v);
    set('$(avp(x)[1])', 'mid');
    expect(get('$(avp(x)[*])')).toBe('mid, 3, 2, 1');
    set('$(avp(x)[-1])', null);
    expect(get('$(avp(x)[*])')).toBe('3, 2, 1');
    set('$(avp(x)[7])', 'x');
    expect(get('$avp(x)')).toBe('x');
  });

  test('types are kept; s:, i: names and aliases; names from a PV', () => {
    const { get, set } = setup();
    set('$avp(s:n)', 10);
    expect(get('$avp(n)')).toBe(10);
    set('$avp(i:5)', 'five');
    expect(get('$avp(cnt)')).toBe('five');
    expect(get('$avp(s:5)')).toBeNull();
    set('$avp(who)', 'alice');
    expect(get('$avp(s:caller)')).toBe('alice');
    set('$avp(s:dyn)', 'via pv');
    expect(get('$avp($var(name))')).toBe('via pv');
    expect(get('$(avp(x)[$var(i)])')).toBeNull();
  });

  test('bad names are refused at parse time', () => {
    const { core } = setup();
    expect(() => core.pv.parse('$avp(i:abc)')).toThrow(/bad integer avp name/);
    expect(() => core.pv.parse('$avp(s:)')).toThrow(/empty avp name/);
    expect(() => new AvpAliases().add('broken')).toThrow(/bad avp alias/);
  });

  test('stores start empty and tolerate null lists (local transactions)', () => {
    const { core, ctx } = setup();
    expect(ctx.stores).toEqual({ avps: null, xavps: null });
    expect(core.pv.parse('$avp(x)').get(ctx)).toBeNull();
    core.pv.parse('$avp(x)').set(ctx, 1);
    expect(core.pv.parse('$avp(x)').get(ctx)).toBe(1);
  });

  test('stores are per run context and clone for transactions', () => {
    const { core, ctx, set } = setup();
    set('$avp(x)', 1);
    const copy = storesOf(ctx).clone();
    set('$avp(x)', 2);
    const other = newCtx(core);
    expect(core.pv.parse('$avp(x)').get(other)).toBeNull();
    other.stores.avps = copy;
    expect(core.pv.parse('$(avp(x)[*])').get(other)).toBe('1');
  });
});

describe('SER-style AVPs share the storage', () => {
  test('$name (ALL mode) is $avp(name); SER assignment replaces all values', () => {
    const { get, set } = setup('all');
    set('$avp(x)', 1);
    set('$avp(x)', 2);
    expect(get('$x')).toBe(2);
    expect(get('$f.x')).toBe(2);
    set('$x', 'new');
    expect(get('$(avp(x)[*])')).toBe('new');
    set('$x', null);
    expect(get('$avp(x)')).toBeNull();
  });

  test('SER indexes count from the oldest: [1] first added, [-1] last added, [] all; $t. is a separate track', () => {
    const { get, set } = setup('ser');
    set('$avp(x)', 'a', 'kamailio');
    set('$avp(x)', 'b', 'kamailio');
    set('$avp(x)', 'c', 'kamailio');
    expect(get('$x')).toBe('c');
    expect(get('$x[1]')).toBe('a');
    expect(get('$x[2]')).toBe('b');
    expect(get('$x[-1]')).toBe('c');
    expect(get('$x[-3]')).toBe('a');
    expect(get('$x[4]')).toBeNull();
    expect(get('$x[]')).toBe('c, b, a');
    set('$t.x', 'to-side');
    expect(get('$t.x')).toBe('to-side');
    expect(get('$f.x')).toBe('c');
  });

  test('SER index 0 is refused; in #!KAMAILIO mode $f.x is unknown', () => {
    const { core } = setup('ser');
    expect(() => core.pv.parse('$x[0]')).toThrow(/bad avp index/);
    expect(() => core.pv.parse('$f.x', 'kamailio')).toThrow(/unknown pseudo-variable/);
  });

  test('formats in ALL mode read SER AVPs', () => {
    const { core, ctx, set } = setup('all');
    set('$who', 'bob');
    expect(core.pv.parseFormat('hi $who! $$').print(ctx)).toBe('hi bob! $');
  });
});
