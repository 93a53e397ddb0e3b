/** A module statistic (Kamailio's stat_var): a counter the module bumps, exported by name. */
export class Stat {
  value = 0;
  inc(n = 1): void {
    this.value += n;
  }
  reset(): void {
    this.value = 0;
  }
}

export function createStat(): Stat {
  return new Stat();
}
