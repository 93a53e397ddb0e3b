import { newCore, newCtx } from './helpers';
import { avpClass, AvpAliases, storesOf, avpFlagOp, type SerAvpRef } from '../../src/pv/avp';

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

describe('SER AVP classes ($fr. $fu. $fd. $tr. $tu. $td. $g.)', () => {
  test('a class prefix writes that class; $f.x and $avp(x) read uri, user, domain, then global', () => {
    const { ctx, get, set } = setup('ser');
    storesOf(ctx).push('f', 'x', 'global', 'g');
    expect(get('$f.x')).toBe('global');
    expect(get('$t.x')).toBe('global');
    storesOf(ctx).push('f', 'x', 'domain', 'd');
    expect(get('$f.x')).toBe('domain');
    set('$fu.x', 'user');
    expect(get('$f.x')).toBe('user');
    expect(get('$avp(x)', 'kamailio')).toBe('user');
    set('$fr.x', 'uri');
    expect([get('$x'), get('$fr.x'), get('$fu.x'), get('$fd.x'), get('$g.x')]).toEqual(['uri', 'uri', 'user', 'domain', 'global']);
    expect(get('$tu.x')).toBeNull();
    expect(get('$t.x')).toBe('global');
  });

  test('to-track classes are separate lists; a class-less assignment replaces the first class found', () => {
    const { ctx, get, set } = setup('all');
    set('$tu.uid', 'u1');
    storesOf(ctx).push('t', 'did', 'd1', 'd');
    set('$tr.r', 'r1');
    expect([get('$t.uid'), get('$td.did'), get('$t.did'), get('$t.r'), get('$f.uid')]).toEqual(['u1', 'd1', 'd1', 'r1', null]);
    set('$fu.a', 1);
    set('$f.a', 2); // deletes the user-class values it reads, writes to the uri class
    expect([get('$fu.a'), get('$fr.a'), get('$f.a')]).toEqual([null, 2, 2]);
    set('$tu.uid', null);
    expect(get('$t.uid')).toBeNull();
  });

  test('domain and global AVPs are read-only for the script (modules fill them)', () => {
    const { core } = setup('ser');
    for (const p of ['$fd.x', '$td.x', '$g.x']) expect(core.pv.parse(p).writable).toBe(false);
    for (const p of ['$fr.x', '$fu.x', '$tr.x', '$tu.x', '$f.x', '$x']) expect(core.pv.parse(p).writable).toBe(true);
  });

  test('global AVPs outlive the run context; others do not', () => {
    const { core, ctx, get, set } = setup('ser');
    storesOf(ctx).push('f', 'boot', 'yes', 'g');
    set('$fu.tmp', 'no');
    const other = newCtx(core);
    expect(core.pv.parse('$g.boot', 'ser').get(other)).toBe('yes');
    expect(core.pv.parse('$fu.tmp', 'ser').get(other)).toBeNull();
    expect(get('$fu.tmp')).toBe('no');
  });

  test('indexes work with class prefixes; clone keeps classes and shares globals', () => {
    const { ctx, get, set } = setup('ser');
    set('$avp(y)', 'a', 'kamailio');
    set('$avp(y)', 'b', 'kamailio');
    expect([get('$fr.y[1]'), get('$fr.y[-1]'), get('$fr.y[]')]).toEqual(['a', 'b', 'b, a']);
    set('$fu.z', 'uz');
    const copy = storesOf(ctx).clone();
    expect(copy.values('f', 'z', 'u')).toEqual(['uz']);
    expect(copy.values('f', 'y', 'u')).toBeUndefined();
  });

  test('in #!KAMAILIO mode the prefixes are refused; in formats a class wins over the prefix', () => {
    const { core, ctx, set } = setup('all');
    core.pv.registerClass({ name: 'fu', inner: 'none', get: () => 'sip:a@b' });
    for (const p of ['$fu.x', '$tr.x', '$g.x']) expect(() => core.pv.parse(p, 'kamailio')).toThrow(/unknown pseudo-variable/);
    set('$fu.x', 'avp');
    expect(core.pv.parse('$fu.x', 'all').get(ctx)).toBe('avp');
    expect(core.pv.parseFormat('$fu.x|$fr.x').print(ctx)).toBe('sip:a@b.x|<null>');
    set('$fr.x', 'r');
    expect(core.pv.parseFormat('$fr.x').print(ctx)).toBe('r');
  });
});

describe('AVP flags', () => {
  test('set, test and reset one value; [] touches every value; no index needs exactly one value', () => {
    const { ctx, set } = setup('ser');
    const ref = (t: string) => (ctx.core.pv.parse(t, 'ser') as unknown as { inner: SerAvpRef }).inner;
    const st = () => storesOf(ctx);
    expect(avpFlagOp(st(), ref('$f.c'), 2, 1)).toBe(false);
    set('$f.c', 'one');
    expect(avpFlagOp(st(), ref('$f.c'), 2, -1)).toBe(false);
    expect(avpFlagOp(st(), ref('$f.c'), 2, 1)).toBe(true);
    expect(avpFlagOp(st(), ref('$f.c'), 2, -1)).toBe(true);
    expect(avpFlagOp(st(), ref('$f.c'), 4, -1)).toBe(false);
    set('$avp(c)', 'two', 'kamailio');
    expect(avpFlagOp(st(), ref('$f.c'), 2, -1)).toBe(false); // two values, no index
    expect(avpFlagOp(st(), ref('$f.c[1]'), 2, -1)).toBe(true);
    expect(avpFlagOp(st(), ref('$f.c[-1]'), 2, -1)).toBe(false);
    expect(avpFlagOp(st(), ref('$f.c[]'), 2, -1)).toBe(true);
    expect(avpFlagOp(st(), ref('$f.c[]'), 2, 0)).toBe(false);
    expect(avpFlagOp(st(), ref('$f.c[1]'), 2, -1)).toBe(false);
    set('$avp(c)', 'three', 'kamailio');
    expect(avpFlagOp(st(), ref('$f.c[-1]'), 2, 1)).toBe(true);
    set('$avp(c)', null, 'kamailio'); // deleting the newest drops its flags too
    expect(avpFlagOp(st(), ref('$f.c[]'), 2, -1)).toBe(false);
    expect(avpFlagOp(st(), ref('$t.c[]'), 2, -1)).toBe(false);
  });
});
