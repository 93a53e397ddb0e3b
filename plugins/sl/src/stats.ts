/** Reply counters by class, as Kamailio's sl keeps them (names as its statistics export them). */
import { STAT_IS_FUNC, type StatEntry } from '@sipr/compat';

const BUCKETS = ['1xx', '200', '202', '2xx', '300', '301', '302', '3xx', '400', '401', '403', '404', '407', '408', '483', '4xx', '500', '5xx', '6xx', 'xxx'] as const;
type Bucket = (typeof BUCKETS)[number];
const EXACT = new Set<string>(['200', '202', '300', '301', '302', '400', '401', '403', '404', '407', '408', '483', '500']);

export function bucket(code: number): Bucket {
  if (code < 100 || code >= 700) return 'xxx';
  if (code >= 600) return '6xx';
  if (code < 200) return '1xx';
  const exact = String(code);
  return (EXACT.has(exact) ? exact : `${exact[0]}xx`) as Bucket;
}

export class SlStats {
  private readonly byBucket = new Map<Bucket, number>();
  sent = 0;
  /** replies sent by sl_reply_error */
  errReplies = 0;
  failures = 0;
  filteredAcks = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    for (const b of BUCKETS) this.byBucket.set(b, 0);
    this.sent = this.errReplies = this.failures = this.filteredAcks = 0;
  }

  replied(code: number): void {
    const b = bucket(code);
    this.byBucket.set(b, this.byBucket.get(b)! + 1);
    this.sent++;
  }

  count(b: Bucket): number {
    return this.byBucket.get(b)!;
  }

  /** The module's statistics export table. */
  exports(): StatEntry[] {
    return [
      ...BUCKETS.map((b): StatEntry => [`${b}_replies`, STAT_IS_FUNC, () => this.count(b)]),
      ['sent_replies', STAT_IS_FUNC, () => this.sent],
      ['sent_err_replies', STAT_IS_FUNC, () => this.errReplies],
      ['failures', STAT_IS_FUNC, () => this.failures],
      ['received_ACKs', STAT_IS_FUNC, () => this.filteredAcks],
    ];
  }

  /** The sl.stats RPC structure: counts by code and class (1xx is not part of it, as in Kamailio). */
  rpcStruct(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const b of BUCKETS) if (b !== '1xx') out[b] = this.count(b);
    return out;
  }
}
