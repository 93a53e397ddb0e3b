import { TimerWheel, FakeClock, type Timer } from '../../src/timer';

function setup() {
  const clock = new FakeClock(5000);
  const errors: unknown[] = [];
  const wheel = new TimerWheel({ clock, onError: (e) => errors.push(e) });
  return { clock, wheel, errors };
}

describe('TimerWheel', () => {
  it('fires one-shot timers at their time, in expiry order', () => {
    const { clock, wheel } = setup();
    const fired: Array<[string, number]> = [];
    for (const [name, ms] of [['c', 300], ['a', 10], ['b', 255], ['d', 256], ['e', 70000]] as const) {
      wheel.setTimeout(() => fired.push([name, wheel.now()]), ms);
    }
    expect(wheel.size).toBe(5);
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([['a', 10]]);
    clock.advance(290);
    expect(fired).toEqual([['a', 10], ['b', 255], ['d', 256], ['c', 300]]);
    clock.advance(69699);
    expect(fired.length).toBe(4);
    clock.advance(1);
    expect(fired[4]).toEqual(['e', 70000]);
    expect(wheel.size).toBe(0);
  });

  it('cascades timers through every level and fires them exactly on time', () => {
    const { clock, wheel } = setup();
    const delays = [1, 255, 256, 257, 511, 512, 65535, 65536, 65537, 300000, 16777215, 16777216, 16777300];
    const got = new Map<number, number>();
    for (const d of delays) wheel.setTimeout(() => got.set(d, wheel.now()), d);
    clock.advance(16777300);
    for (const d of delays) expect(got.get(d)).toBe(d);
  });

  it('handles timers started at an arbitrary phase of the wheel', () => {
    const { clock, wheel } = setup();
    clock.advance(123457);
    wheel.setTimeout(() => undefined, 1); // keep the wheel busy so its tick follows time
    const start = wheel.now();
    const got: number[] = [];
    for (const d of [3, 200, 700, 66000, 70001]) wheel.setTimeout(() => got.push(wheel.now() - start), d);
    clock.advance(80000);
    expect(got).toEqual([3, 200, 700, 66000, 70001]);
  });

  it('a short timer started while only a long one is pending (the wheel has not woken for a while) fires on time', () => {
    const { clock, wheel } = setup();
    const got: Array<[string, number]> = [];
    wheel.setTimeout(() => got.push(['long', wheel.now()]), 600000);
    clock.advance(123456);
    wheel.setTimeout(() => got.push(['short', wheel.now()]), 100);
    wheel.setTimeout(() => got.push(['mid', wheel.now()]), 70000);
    clock.advance(600000);
    expect(got).toEqual([['short', 123556], ['mid', 193456], ['long', 600000]]);
  });

  it('cancel removes a timer in O(1) and it never fires', () => {
    const { clock, wheel } = setup();
    const fired: string[] = [];
    const a = wheel.setTimeout(() => fired.push('a'), 100);
    const b = wheel.setTimeout(() => fired.push('b'), 100);
    const c = wheel.setTimeout(() => fired.push('c'), 100000);
    expect(b.cancel()).toBe(true);
    expect(b.cancel()).toBe(false);
    expect(c.cancel()).toBe(true);
    expect(wheel.size).toBe(1);
    clock.advance(200000);
    expect(fired).toEqual(['a']);
    expect(a.active).toBe(false);
  });

  it('a handler may cancel a timer due in the same tick', () => {
    const { clock, wheel } = setup();
    const fired: string[] = [];
    let first: Timer | null = null;
    let second: Timer | null = null;
    first = wheel.setTimeout(() => { fired.push('first'); second!.cancel(); }, 50);
    second = wheel.setTimeout(() => { fired.push('second'); first!.cancel(); }, 50);
    clock.advance(50);
    expect(fired.length).toBe(1);
  });

  it('restart reuses the handle (retransmission style doubling)', () => {
    const { clock, wheel } = setup();
    const at: number[] = [];
    let interval = 500;
    const t = wheel.create((timer) => {
      at.push(wheel.now());
      interval = Math.min(interval * 2, 4000);
      if (at.length < 6) timer.start(interval);
    });
    t.start(interval);
    clock.advance(30000);
    expect(at).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
  });

  it('periodic timers stay on their grid without drift', () => {
    const { clock, wheel } = setup();
    const at: number[] = [];
    const p = wheel.setInterval(() => at.push(wheel.now()), 300);
    clock.advance(1200);
    expect(at).toEqual([300, 600, 900, 1200]);
    p.cancel();
    const at2: number[] = [];
    const q = wheel.setInterval(() => at2.push(wheel.now()), 100);
    clock.advance(1000);
    expect(at2).toEqual([1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000, 2100, 2200]);
    q.cancel();
    expect(wheel.size).toBe(0);
  });

  it('a periodic timer that falls behind keeps its phase', () => {
    // Simulate a late wake-up: the clock jumps past several beats before the wheel runs.
    let t = 0;
    let wake: (() => void) | null = null;
    const clock = { now: () => t, arm: (fn: () => void) => { wake = fn; }, disarm: () => { wake = null; }, defer: (fn: () => void) => fn() };
    const wheel = new TimerWheel({ clock });
    const at: number[] = [];
    wheel.setInterval(() => at.push(wheel.now()), 100);
    t = 350;
    wake!();
    expect(at).toEqual([350]);
    t = 400;
    wake!();
    expect(at).toEqual([350, 400]);
  });

  it('zero delay fires at the next wake-up, never synchronously', () => {
    const { clock, wheel } = setup();
    let n = 0;
    wheel.setTimeout(() => n++, 0);
    expect(n).toBe(0);
    clock.advance(1);
    expect(n).toBe(1);
  });

  it('a handler that re-arms at zero delay does not loop inside one wake-up', () => {
    const { clock, wheel } = setup();
    let n = 0;
    wheel.setTimeout((t) => { n++; t.start(0); }, 5);
    clock.advance(5);
    expect(n).toBe(1);
    clock.advance(3);
    expect(n).toBe(4);
  });

  it('arms one wake-up at a time and disarms when empty', () => {
    const { clock, wheel } = setup();
    for (let i = 0; i < 1000; i++) wheel.setTimeout(() => undefined, 1000 + i);
    expect(clock.arms).toBeLessThanOrEqual(2);
    clock.advance(2000);
    expect(wheel.size).toBe(0);
    expect(clock.nextWake).toBeNull();
  });

  it('re-arms earlier when a sooner timer is added', () => {
    const { clock, wheel } = setup();
    let fired = 0;
    wheel.setTimeout(() => fired++, 5000);
    wheel.setTimeout(() => fired++, 20);
    expect(clock.nextWake).toBe(5000 + 20);
    clock.advance(20);
    expect(fired).toBe(1);
  });

  it('many timers: 100k random timers all fire at their exact tick', () => {
    const { clock, wheel } = setup();
    let seed = 42;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    let wrong = 0;
    let fired = 0;
    const timers: Timer[] = [];
    for (let i = 0; i < 100000; i++) {
      const d = 1 + (rnd() % 200000);
      const due = wheel.now() + d;
      timers.push(wheel.setTimeout(() => { fired++; if (wheel.now() !== due) wrong++; }, d));
    }
    let cancelled = 0;
    for (let i = 0; i < timers.length; i += 3) if (timers[i].cancel()) cancelled++;
    clock.advance(200001);
    expect(wrong).toBe(0);
    expect(fired + cancelled).toBe(100000);
    expect(wheel.size).toBe(0);
  });

  it('slow timers run after the fast ones of the same moment', () => {
    const { clock, wheel } = setup();
    const order: string[] = [];
    wheel.setTimeout(() => order.push('slow'), 100, { slow: true });
    wheel.setTimeout(() => order.push('fast'), 100);
    clock.advance(100);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('a throwing handler is reported and the wheel carries on', () => {
    const { clock, wheel, errors } = setup();
    let ok = false;
    wheel.setTimeout(() => { throw new Error('boom'); }, 10);
    wheel.setTimeout(() => { ok = true; }, 10);
    clock.advance(10);
    expect(ok).toBe(true);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('stop cancels everything', () => {
    const { clock, wheel } = setup();
    let n = 0;
    wheel.setTimeout(() => n++, 10);
    wheel.setInterval(() => n++, 10);
    wheel.stop();
    clock.advance(1000);
    expect(n).toBe(0);
    expect(wheel.size).toBe(0);
  });

  it('runs on the real clock with one Node timer', async () => {
    const wheel = new TimerWheel();
    const t0 = Date.now();
    const got = await new Promise<number>((resolve) => wheel.setTimeout(() => resolve(Date.now() - t0), 30));
    expect(got).toBeGreaterThanOrEqual(28);
    expect(got).toBeLessThan(1000);
  });
});
