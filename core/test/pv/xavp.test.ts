import { newCore, newCtx } from './helpers';
import { xavpClass, xavpsOf, XAVP_LIST_TEXT } from '../../src/pv/xavp';

function setup() {
  const core = newCore();
  core.pv.registerClass(xavpClass);
  const ctx = newCtx(core);
  const get = (t: string) => core.pv.parse(`$xavp(${t})`).get(ctx);
  const set = (t: string, v: string | number | null) => core.pv.parse(`$xavp(${t})`).set(ctx, v);
  return { core, ctx, get, set };
}

describe('$xavp rules', () => {
  test('root=>field without index creates a new record in front', () => {
    const { get, set } = setup();
    set('gw=>ip', '1.2.3.4');
    set('gw[0]=>port', 5060);
    set('gw=>ip', '5.6.7.8');
    expect(get('gw=>ip')).toBe('5.6.7.8');
    expect(get('gw[0]=>port')).toBeNull();
    expect(get('gw[1]=>ip')).toBe('1.2.3.4');
    expect(get('gw[1]=>port')).toBe(5060);
    expect(get('gw[-1]=>ip')).toBe('1.2.3.4');
    expect(get('gw[2]=>ip')).toBeNull();
    expect(get('gw')).toBe(XAVP_LIST_TEXT);
  });

  test('[i]=>field pushes a field value; [i]=>field[j] replaces', () => {
    const { get, set } = setup();
    set('r=>a', 1);
    set('r[0]=>a', 2);
    expect(get('r=>a')).toBe(2);
    expect(get('r=>a[1]')).toBe(1);
    expect(get('r=>a[-1]')).toBe(1);
    expect(get('r=>a[*]')).toBe('2, 1');
    set('r[0]=>a[1]', 'one');
    expect(get('r=>a[*]')).toBe('2, one');
    expect(() => set('r[0]=>a[5]', 1)).toThrow(/no xavp 'a' at index 5/);
    expect(() => set('r[3]=>a', 1)).toThrow(/no xavp record 'r' at index 3/);
  });

  test('plain values: push, set i-th, delete', () => {
    const { get, set } = setup();
    set('v', 'a');
    set('v', 'b');
    set('v', 'c');
    expect(get('v')).toBe('c');
    expect(get('v[-1]')).toBe('a');
    set('v[1]', 'B');
    expect(get('v[*]')).toBe('c');
    expect(get('v[1]')).toBe('B');
    set('v', null);
    expect(get('v')).toBe('B');
    expect(get('v[1]')).toBe('a');
    set('v[-1]', null);
    expect(get('v[1]')).toBeNull();
    expect(get('v')).toBe('B');
    set('v', 'x');
    set('v[*]', null);
    expect(get('v')).toBeNull();
  });

  test('$null with =>field deletes fields inside the selected records', () => {
    const { get, set } = setup();
    set('g=>ip', '1');
    set('g[0]=>ip', '2');
    set('g=>ip', '3');
    set('g=>ip', null);
    expect(get('g[0]=>ip')).toBeNull();
    expect(get('g[1]=>ip')).toBe('2');
    set('g[1]=>ip[*]', null);
    expect(get('g[1]=>ip')).toBeNull();
    set('g=>ip', 'a');
    set('g[*]=>ip', null);
    expect(get('g[0]=>ip')).toBeNull();
    expect(get('g')).toBe(XAVP_LIST_TEXT);
  });

  test('bad names are refused; stores clone deeply', () => {
    const { core, ctx, set } = setup();
    expect(() => core.pv.parse('$xavp(a[x])')).toThrow(/bad xavp name/);
    expect(() => core.pv.parse('$xavp(=>b)')).toThrow(/bad xavp name/);
    set('t=>k', 1);
    const copy = xavpsOf(ctx).clone();
    set('t[0]=>k', 2);
    const other = newCtx(core);
    other.stores.xavps = copy;
    expect(core.pv.parse('$xavp(t=>k[*])').get(other)).toBe('1');
  });
});
