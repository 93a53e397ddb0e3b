import { Core, Logger, LogLevel, RouteType, type FixupSite, type PvSpec, type RunCtx, type CompatMode } from '@sipr/core';
import {
  FParam, get_int_fparam, get_str_fparam,
  fixup_int_1, fixup_int_2, fixup_int_12, fixup_str_12, fixup_regex_1, fixup_uint_null, fixup_regexp_null,
  fixup_spve_spve, fixup_spve_uint, fixup_pvar_null, fixup_pvar_str, fixup_igp_null, fixup_igp_igp,
  fixup_var_str_1, fixup_var_int_1, fixup_var_str_12, fixup_spve_all, fixup_var_pve_str_2,
} from '@sipr/compat';

const core = new Core({ log: new Logger(LogLevel.ERR, '', () => undefined) });
core.pv.registerClass({ name: 'tname', inner: 'none', get: () => 'alice' });
core.pv.registerClass({ name: 'tnum', inner: 'none', get: () => '42' });
const site = (compatMode?: CompatMode): FixupSite => ({
  core, fn: 'f', routeType: RouteType.REQUEST, pos: { file: 'k.cfg', line: 1, column: 1 }, params: [], compatMode,
});
const ctx = { core, rc: 7, stores: core.pv.newStores(), slots: new Map() } as unknown as RunCtx;

describe('kamailio family', () => {
  test('int / uint / str / regexp convert only the positions their name lists', () => {
    expect(fixup_int_1('42', 1, site())).toBe(42);
    expect(fixup_int_1('42', 2, site())).toBe('42');
    expect(fixup_int_2('-3', 2, site())).toBe(-3);
    expect([fixup_int_12(' 1', 1, site()), fixup_int_12('2 ', 2, site())]).toEqual([1, 2]);
    expect(() => fixup_int_1('4x', 1, site())).toThrow('"4x" is not an integer');
    expect(() => fixup_uint_null('-1', 1, site())).toThrow('"-1" is not an unsigned integer');
    expect(fixup_str_12('a', 2, site())).toBe('a');
    const re = fixup_regexp_null('^sip:[0-9]+@', 1, site()) as RegExp;
    expect(re.test('SIP:123@x')).toBe(true);
    expect(() => fixup_regex_1('(', 1, site())).toThrow(/bad regular expression "\("/);
  });

  test('spve: constant strings stay constant, strings with PVs become formats', () => {
    const plain = fixup_spve_spve('hello', 1, site()) as FParam;
    expect(plain.kind).toBe('str');
    expect(get_str_fparam(ctx, plain)).toBe('hello');
    const fmt = fixup_spve_spve('hi $tname, rc=$rc', 2, site()) as FParam;
    expect(fmt.kind).toBe('pve');
    expect(get_str_fparam(ctx, fmt)).toBe('hi alice, rc=7');
    expect(get_int_fparam(ctx, fixup_spve_spve('$tnum', 1, site()) as FParam)).toBe(42);
    expect(get_int_fparam(ctx, fmt)).toBeNull();
    expect(fixup_spve_uint('5', 2, site())).toBe(5);
    expect((fixup_spve_all('$rc', 3, site()) as FParam).str(ctx)).toBe('7');
  });

  test('pvar gives the spec itself; a non-PV is refused', () => {
    const spec = fixup_pvar_null('$rc', 1, site()) as PvSpec;
    expect(spec.get(ctx)).toBe(7);
    expect(fixup_pvar_str('x', 2, site())).toBe('x');
    expect(() => fixup_pvar_null('rc', 1, site())).toThrow(/is not a pseudo-variable/);
  });

  test('igp: an integer or a PV', () => {
    expect((fixup_igp_null('12', 1, site()) as FParam).kind).toBe('int');
    const pv = fixup_igp_igp('$tnum', 2, site()) as FParam;
    expect(pv.kind).toBe('pv');
    // a variable must hold an integer; the string "42" does not convert (as in Kamailio)
    expect(get_int_fparam(ctx, pv)).toBeNull();
    expect(get_int_fparam(ctx, fixup_igp_igp('$rc', 1, site()) as FParam)).toBe(7);
    expect(() => fixup_igp_null('$nosuchclass', 1, site('kamailio'))).toThrow(/nosuchclass/);
  });
});

describe('ser family (fixup_var_*)', () => {
  test('PV first (not in #!SER mode), then AVP, then select, then the plain value', () => {
    const pv = fixup_var_str_1('$tname', 1, site('all')) as FParam;
    expect([pv.kind, pv.str(ctx)]).toEqual(['pv', 'alice']);
    // in #!SER mode $tname is the AVP "tname"
    const avp = fixup_var_str_1('$tname', 1, site('ser')) as FParam;
    expect(avp.kind).toBe('avp');
    expect(avp.str(ctx)).toBeNull();
    const sel = fixup_var_str_1('@cseq.method', 1, site()) as FParam;
    expect(sel.kind).toBe('select');
    const notSelect = fixup_var_str_1('@no.such.select', 1, site()) as FParam;
    expect([notSelect.kind, notSelect.str(ctx)]).toEqual(['str', '@no.such.select']);
    const plain = fixup_var_str_12('text', 2, site()) as FParam;
    expect([plain.kind, plain.str(ctx), plain.int(ctx)]).toEqual(['str', 'text', null]);
  });

  test('the pve variants: a variable, else a string that may hold PVs', () => {
    expect((fixup_var_pve_str_2('$tname', 2, site()) as FParam).kind).toBe('pv');
    const fmt = fixup_var_pve_str_2('Hi $tname', 2, site()) as FParam;
    expect([fmt.kind, fmt.str(ctx)]).toEqual(['pve', 'Hi alice']);
    expect((fixup_var_pve_str_2('plain', 2, site()) as FParam).kind).toBe('str');
  });

  test('the int variants need an integer when the value is plain', () => {
    const n = fixup_var_int_1('16', 1, site()) as FParam;
    expect([n.kind, n.int(ctx), n.str(ctx)]).toEqual(['int', 16, '16']);
    expect(() => fixup_var_int_1('sixteen', 1, site())).toThrow('"sixteen" is not an integer');
    expect(get_int_fparam(ctx, fixup_var_int_1('$rc', 1, site()) as FParam)).toBe(7);
  });
});
