/**
 * Logs at most `perSecond` lines per second and counts the rest, so a flood of bad packets
 * cannot flood the log; the count is reported with the next line that gets through.
 */
import type { Logger } from '../log';

export class RateLimitedLog {
  private windowStart = 0;
  private inWindow = 0;
  private suppressed = 0;

  constructor(private readonly log: Logger, private readonly level: number, private readonly perSecond = 10) {}

  write(make: () => string): void {
    if (!this.log.enabled(this.level)) return;
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.perSecond) {
      this.suppressed++;
      return;
    }
    this.inWindow++;
    const extra = this.suppressed > 0 ? ` (${this.suppressed} similar messages suppressed)` : '';
    this.suppressed = 0;
    this.log.log(this.level, make() + extra);
  }
}
