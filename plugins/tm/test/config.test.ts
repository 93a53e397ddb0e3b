import { defaultConfig, PARAMS } from '../src/config';

describe('tm parameters', () => {
  it('are milliseconds; under #!KAMAILIO small timer values are seconds', () => {
    const k = defaultConfig();
    PARAMS.fr_timer.set(k, 10, 'kamailio');
    PARAMS.fr_inv_timer.set(k, 120, 'kamailio');
    PARAMS.wt_timer.set(k, 121, 'kamailio');
    PARAMS.retr_timer1.set(k, 100, 'kamailio');
    expect([k.frTimer, k.frInvTimer, k.wtTimer, k.t1]).toEqual([10000, 120000, 121, 100]);
    const s = defaultConfig();
    PARAMS.fr_timer.set(s, 10, 'ser');
    PARAMS.fr_inv_timer.set(s, '90', 'all');
    expect([s.frTimer, s.frInvTimer]).toEqual([10, 90]);
  });

  it('refuse bad values with the parameter name', () => {
    const c = defaultConfig();
    expect(() => PARAMS.fr_timer.set(c, 'abc', 'all')).toThrow(/fr_timer needs an integer \(got "abc"\)/);
    expect(() => PARAMS.cancel_b_method.set(c, 3, 'all')).toThrow(/cancel_b_method must be 0, 1 or 2/);
    expect(() => PARAMS.wt_timer.set(c, -1, 'all')).toThrow(/wt_timer must be >= 0/);
  });

  it('defaults follow Kamailio 3.0', () => {
    const c = defaultConfig();
    expect([c.t1, c.t2, c.frTimer, c.frInvTimer, c.wtTimer, c.maxInvLifetime, c.maxNoninvLifetime]).toEqual([500, 4000, 30000, 120000, 5000, 180000, 32000]);
    expect(c.autoInv100Reason).toBe('trying -- your call is important to us');
  });
});
