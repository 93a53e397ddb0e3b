/**
 * The time source of a TimerWheel. The wheel asks it for the time and for its one wake-up;
 * tests hand the wheel a FakeClock and move time by hand, so timer behaviour is deterministic.
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Arm the single wake-up; the wheel never has more than one armed. */
  arm(fn: () => void, delayMs: number): void;
  disarm(): void;
  /** Run fn soon, after the current wake-up returns (slow timer handlers go here). */
  defer(fn: () => void): void;
}

/** Real time: performance.now() and one Node timer, unref'd so it never keeps a process alive. */
export class SystemClock implements Clock {
  private handle: NodeJS.Timeout | null = null;
  constructor(private readonly unref = true) {}

  now(): number {
    return Math.floor(performance.now());
  }

  arm(fn: () => void, delayMs: number): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = setTimeout(() => { this.handle = null; fn(); }, delayMs);
    if (this.unref) this.handle.unref();
  }

  disarm(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
  }

  defer(fn: () => void): void {
    setImmediate(fn);
  }
}

/** Time that moves only when a test calls advance(); the armed wake-up fires when it is due. */
export class FakeClock implements Clock {
  private t: number;
  private wake: { fn: () => void; at: number } | null = null;
  /** How many times the wheel armed a wake-up (tests check there is one Node timer's worth). */
  arms = 0;

  constructor(start = 1000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  arm(fn: () => void, delayMs: number): void {
    this.arms++;
    this.wake = { fn, at: this.t + Math.max(1, delayMs) };
  }

  disarm(): void {
    this.wake = null;
  }

  private deferred: Array<() => void> = [];
  defer(fn: () => void): void {
    this.deferred.push(fn);
  }

  private flush(): void {
    while (this.deferred.length) this.deferred.shift()!();
  }

  /** When the armed wake-up is due, or null. */
  get nextWake(): number | null {
    return this.wake ? this.wake.at : null;
  }

  /** Move time forward by ms, firing the wake-up at each moment it falls due (as a Node timer would). */
  advance(ms: number): void {
    const end = this.t + ms;
    while (this.wake && this.wake.at <= end) {
      const w = this.wake;
      this.wake = null;
      this.t = w.at;
      w.fn();
      this.flush();
    }
    this.t = end;
  }
}
