/**
 * A hierarchical timing wheel (4 levels of 256 slots, 1 ms per tick, about 49 days of range):
 * O(1) start and cancel, timers cascade down a level when their slot comes round. The whole wheel
 * is driven by ONE wake-up from its Clock, armed for the earliest slot that holds work, so a
 * thousand transactions cost one Node timer, not a thousand.
 *
 * Fast timers run inside the wake-up, in expiry order. Slow timers (`slow: true`, for handlers
 * that may take long: cleanups, statistics dumps) are queued and run after the wake-up returns,
 * so they never delay a retransmission that is due at the same moment.
 */
import { SystemClock, type Clock } from './clock';

export type TimerFn = (timer: Timer) => void;

const BITS = 8;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;
const LEVELS = 4;
/** Deltas beyond the top level are parked there and re-filed when they cascade. */
const MAX_DELTA = 2 ** (BITS * LEVELS) - 1;

class Slot {
  head: Timer | null = null;
}

export interface TimerOptions {
  /** Run the handler after the wake-up that found it due, not inside it. */
  slow?: boolean;
}

/**
 * One timer. Handles are reusable: a transaction keeps its retransmission timer object and calls
 * start() again for each interval, so steady-state traffic allocates no timer objects.
 */
export class Timer {
  /** Wheel tick (ms since the wheel's epoch) at which the timer fires. */
  expires = 0;
  /** >0 for a periodic timer */
  interval = 0;
  slow: boolean;
  /** @internal list links */
  prev: Timer | null = null;
  next: Timer | null = null;
  slot: Slot | null = null;
  level = -1;

  constructor(readonly wheel: TimerWheel, public fn: TimerFn, opts?: TimerOptions) {
    this.slow = opts?.slow ?? false;
  }

  get active(): boolean {
    return this.slot !== null;
  }

  /** (Re)start: fire in `ms` milliseconds, then every `interval` ms if given. */
  start(ms: number, interval = 0): this {
    this.wheel.schedule(this, ms, interval);
    return this;
  }

  /** Stop the timer; returns whether it was pending. */
  cancel(): boolean {
    return this.wheel.unschedule(this);
  }

  /** Milliseconds until it fires (0 when due or stopped). */
  remaining(): number {
    return this.active ? Math.max(0, this.expires - this.wheel.now()) : 0;
  }
}

export interface TimerWheelOptions {
  clock?: Clock;
  /** Called with whatever a handler throws; the wheel carries on. */
  onError?: (err: unknown, timer: Timer) => void;
}

export class TimerWheel {
  readonly clock: Clock;
  private readonly epoch: number;
  private readonly levels: Slot[][] = [];
  /** The next tick to process: everything before it has run. */
  private tick = 0;
  private count = 0;
  /** Pending timers per level. */
  private readonly counts = new Array<number>(LEVELS).fill(0);
  /** Tick the wake-up is armed for, or -1. */
  private armedAt = -1;
  private running = false;
  private readonly draining = new Slot();
  private readonly slowQueue: Timer[] = [];
  private slowPending = false;
  private readonly onError: (err: unknown, timer: Timer) => void;
  private readonly wakeFn = () => this.onWake();
  private readonly slowFn = () => this.runSlow();

  constructor(opts: TimerWheelOptions = {}) {
    this.clock = opts.clock ?? new SystemClock();
    this.onError = opts.onError ?? ((e) => { process.stderr.write(`timer handler failed: ${e instanceof Error ? e.stack : String(e)}\n`); });
    this.epoch = this.clock.now();
    for (let l = 0; l < LEVELS; l++) {
      const slots: Slot[] = [];
      for (let i = 0; i < SIZE; i++) slots.push(new Slot());
      this.levels.push(slots);
    }
  }

  /** Current time on the wheel, in ms since its epoch. */
  now(): number {
    return this.clock.now() - this.epoch;
  }

  /** Number of pending timers. */
  get size(): number {
    return this.count;
  }

  /** A one-shot timer firing in ms. */
  setTimeout(fn: TimerFn, ms: number, opts?: TimerOptions): Timer {
    return new Timer(this, fn, opts).start(ms);
  }

  /** A periodic timer: first after `ms`, then every `ms` on a fixed grid (no drift). */
  setInterval(fn: TimerFn, ms: number, opts?: TimerOptions): Timer {
    return new Timer(this, fn, opts).start(ms, ms);
  }

  /** A stopped timer to start() later. */
  create(fn: TimerFn, opts?: TimerOptions): Timer {
    return new Timer(this, fn, opts);
  }

  /** Cancel everything and release the wake-up (shutdown). */
  stop(): void {
    for (const level of this.levels) {
      for (const slot of level) {
        while (slot.head) this.unlink(slot.head);
      }
    }
    while (this.draining.head) this.unlink(this.draining.head);
    this.slowQueue.length = 0;
    this.clock.disarm();
    this.armedAt = -1;
  }

  /** @internal */
  schedule(t: Timer, ms: number, interval: number): void {
    if (t.wheel !== this) throw new Error('timer belongs to another wheel');
    if (t.slot) this.unlink(t);
    const now = this.now();
    // An idle wheel may lag far behind; catch up so the new timer is filed near its slot.
    if (this.count === 0 && !this.running && this.tick < now) this.tick = now;
    t.expires = now + Math.max(0, Math.floor(ms));
    t.interval = interval > 0 ? Math.max(1, Math.floor(interval)) : 0;
    this.insert(t);
    if (!this.running && (this.armedAt < 0 || t.expires < this.armedAt)) this.arm(now);
  }

  /** @internal */
  unschedule(t: Timer): boolean {
    if (!t.slot) return false;
    this.unlink(t);
    t.interval = 0;
    // The armed wake-up stays: waking once for nothing is cheaper than re-arming on every cancel.
    return true;
  }

  private insert(t: Timer): void {
    const delta = t.expires - this.tick;
    let level: number;
    let index: number;
    if (delta < SIZE) {
      level = 0;
      index = (delta < 0 ? this.tick : t.expires) & MASK;
    } else {
      const d = Math.min(delta, MAX_DELTA);
      const target = this.tick + d;
      level = 1;
      while (level < LEVELS - 1 && d >= 2 ** (BITS * (level + 1))) level++;
      index = Math.floor(target / 2 ** (BITS * level)) & MASK;
    }
    const slot = this.levels[level][index];
    t.level = level;
    t.slot = slot;
    t.prev = null;
    t.next = slot.head;
    if (slot.head) slot.head.prev = t;
    slot.head = t;
    this.count++;
    this.counts[level]++;
  }

  private unlink(t: Timer): void {
    const slot = t.slot!;
    if (t.prev) t.prev.next = t.next;
    else slot.head = t.next;
    if (t.next) t.next.prev = t.prev;
    t.prev = t.next = null;
    t.slot = null;
    this.count--;
    this.counts[t.level]--;
    t.level = -1;
  }

  /** Re-file the timers of one upper-level slot against the current tick. */
  private cascade(level: number, index: number): void {
    const slot = this.levels[level][index];
    while (slot.head) {
      const t = slot.head;
      this.unlink(t);
      this.insert(t);
    }
  }

  private onWake(): void {
    this.armedAt = -1;
    this.running = true;
    const now = this.now();
    try {
      this.advanceTo(now);
    } finally {
      this.running = false;
    }
    if (this.slowQueue.length && !this.slowPending) {
      this.slowPending = true;
      this.clock.defer(this.slowFn);
    }
    this.arm(this.now());
  }

  private advanceTo(now: number): void {
    while (this.tick <= now) {
      if (this.count === 0) {
        this.tick = now + 1;
        return;
      }
      const t = this.tick;
      const index = t & MASK;
      if (index === 0) {
        let l = 1;
        let ti = t;
        do {
          ti = Math.floor(ti / SIZE);
          this.cascade(l, ti & MASK);
        } while ((ti & MASK) === 0 && ++l < LEVELS);
      }
      if (this.counts[0] === 0) {
        // Nothing at level 0: jump straight to the next tick that cascades something.
        this.tick = t + 1;
        this.tick = Math.min(now + 1, this.nextWork());
        continue;
      }
      this.runSlot(this.levels[0][index], t);
    }
  }

  private runSlot(slot: Slot, t: number): void {
    // Detach first: handlers may start timers that land in this very slot (due a lap later).
    const d = this.draining;
    d.head = slot.head;
    slot.head = null;
    for (let x = d.head; x; x = x.next) x.slot = d;
    this.tick = t + 1;
    while (d.head) {
      const timer = d.head;
      this.unlink(timer);
      if (timer.interval > 0) this.reschedulePeriodic(timer);
      if (timer.slow) this.slowQueue.push(timer);
      else this.fire(timer);
    }
  }

  private reschedulePeriodic(timer: Timer): void {
    // Stay on the grid of the first expiry; skip beats missed while the process was busy.
    const missed = Math.floor((this.now() - timer.expires) / timer.interval) + 1;
    timer.expires += missed * timer.interval;
    this.insert(timer);
  }

  private fire(timer: Timer): void {
    try {
      timer.fn(timer);
    } catch (e) {
      this.onError(e, timer);
    }
  }

  private runSlow(): void {
    this.slowPending = false;
    const q = this.slowQueue.splice(0);
    for (const timer of q) this.fire(timer);
  }

  /** Arm the wake-up for the earliest tick that has work. */
  private arm(now: number): void {
    if (this.count === 0) {
      if (this.armedAt >= 0) this.clock.disarm();
      this.armedAt = -1;
      return;
    }
    const at = this.nextWork();
    if (at === this.armedAt) return;
    this.armedAt = at;
    this.clock.arm(this.wakeFn, Math.max(0, at - now));
  }

  /**
   * The earliest tick at or after `tick` that fires a timer (exact at level 0) or cascades a
   * non-empty upper slot. Call only with count > 0.
   */
  private nextWork(): number {
    const tick = this.tick;
    if (this.counts[0] > 0) {
      const slots = this.levels[0];
      for (let i = 0; i < SIZE; i++) if (slots[(tick + i) & MASK].head) return tick + i;
    }
    const upper = this.count - this.counts[0] - this.counts[1];
    const first = (tick & MASK) === 0 ? tick : tick - (tick & MASK) + SIZE;
    const slots1 = this.levels[1];
    for (let i = 0; i < SIZE; i++) {
      const b = first + i * SIZE;
      const idx = Math.floor(b / SIZE) & MASK;
      if (slots1[idx].head || (idx === 0 && upper > 0)) return b;
    }
    return first;
  }
}
