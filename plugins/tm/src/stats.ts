/** Counters tmx exports as statistics and the tm RPCs print. */
export class TmStats {
  uasTransactions = 0;
  uacTransactions = 0;
  replied2xx = 0;
  replied3xx = 0;
  replied4xx = 0;
  replied5xx = 0;
  replied6xx = 0;
  receivedReplies = 0;
  relayedReplies = 0;
  localReplies = 0;

  /** Count a final reply sent upstream (the transaction's outcome). */
  final(code: number): void {
    switch (Math.floor(code / 100)) {
      case 2: this.replied2xx++; break;
      case 3: this.replied3xx++; break;
      case 4: this.replied4xx++; break;
      case 5: this.replied5xx++; break;
      case 6: this.replied6xx++; break;
    }
  }

  reset(): void {
    this.uasTransactions = this.uacTransactions = 0;
    this.replied2xx = this.replied3xx = this.replied4xx = this.replied5xx = this.replied6xx = 0;
    this.receivedReplies = this.relayedReplies = this.localReplies = 0;
  }
}
