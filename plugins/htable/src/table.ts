/**
 * One named hash table: items with an int or string value and an optional expiry, kept in this
 * process. Expired items read as absent and are swept by a timer.
 */
export type HtValue = number | string;

export interface Item {
  value: HtValue;
  /** ms on the core timer clock; 0: never */
  expires: number;
}

export interface TableSpec {
  name: string;
  /** 2^size slots (Kamailio's hash size; kept for dumps) */
  size: number;
  /** seconds; 0: items never expire */
  autoexpire: number;
  /** value a missing item reads as (and $shtinc starts from); null: none */
  initval: number | null;
}

export class HashTable {
  readonly items = new Map<string, Item>();
  constructor(readonly spec: TableSpec, private readonly now: () => number) {}

  private live(key: string): Item | undefined {
    const it = this.items.get(key);
    if (it && it.expires !== 0 && it.expires <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return it;
  }

  private expiry(): number {
    return this.spec.autoexpire > 0 ? this.now() + this.spec.autoexpire * 1000 : 0;
  }

  get(key: string): HtValue | null {
    return this.live(key)?.value ?? this.spec.initval;
  }

  set(key: string, value: HtValue): void {
    this.items.set(key, { value, expires: this.expiry() });
  }

  delete(key: string): boolean {
    return this.items.delete(key);
  }

  /**
   * Add n to an int item; null when the item holds a string, or is missing and the table has no
   * initval (Kamailio creates nothing then).
   */
  add(key: string, n: number): number | null {
    const it = this.live(key);
    const base = it ? it.value : this.spec.initval;
    if (typeof base !== 'number') return null;
    const v = (base + n) | 0;
    this.items.set(key, { value: v, expires: this.expiry() });
    return v;
  }

  /** Seconds until the item expires (0: never); null when absent. */
  expiresIn(key: string): number | null {
    const it = this.live(key);
    if (!it) return null;
    return it.expires === 0 ? 0 : Math.ceil((it.expires - this.now()) / 1000);
  }

  setExpiresIn(key: string, seconds: number): boolean {
    const it = this.live(key);
    if (!it) return false;
    it.expires = seconds > 0 ? this.now() + seconds * 1000 : 0;
    return true;
  }

  count(re: RegExp, byValue: boolean): number {
    let n = 0;
    for (const [k, it] of this.entries()) if (re.test(byValue ? String(it.value) : k)) n++;
    return n;
  }

  removeMatching(re: RegExp, byValue: boolean): number {
    let n = 0;
    for (const [k, it] of this.entries()) {
      if (re.test(byValue ? String(it.value) : k)) {
        this.items.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Live items (expired ones are dropped on the way). */
  *entries(): Generator<[string, Item]> {
    const now = this.now();
    for (const [k, it] of this.items) {
      if (it.expires !== 0 && it.expires <= now) this.items.delete(k);
      else yield [k, it];
    }
  }

  /** Drop expired items (the timer calls this; reads drop them too). */
  sweep(): void {
    const now = this.now();
    for (const [k, it] of this.items) if (it.expires !== 0 && it.expires <= now) this.items.delete(k);
  }

  /** Slot of a key among the 2^size slots (for dumps grouped as Kamailio prints them). */
  slotOf(key: string): number {
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    return h & ((1 << this.spec.size) - 1);
  }
}

/** `name=>size=4;autoexpire=7200;` */
export function parseTableSpec(text: string): TableSpec {
  const m = /^\s*([A-Za-z0-9_.-]+)\s*=>\s*(.*)$/.exec(text);
  if (!m) throw new Error(`bad htable definition "${text}": expected name=>attr=value;...`);
  const spec: TableSpec = { name: m[1], size: 4, autoexpire: 0, initval: null };
  for (const part of m[2].split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const val = eq < 0 ? '' : part.slice(eq + 1).trim();
    const int = () => {
      if (!/^\d+$/.test(val)) throw new Error(`bad htable definition "${text}": ${key} needs a number`);
      return Number(val);
    };
    switch (key) {
      case 'size': {
        const s = int();
        if (s < 1 || s > 31) throw new Error(`bad htable definition "${text}": size must be 1..31`);
        spec.size = s;
        break;
      }
      case 'autoexpire':
        spec.autoexpire = int();
        break;
      case 'initval':
        if (!/^-?\d+$/.test(val)) throw new Error(`bad htable definition "${text}": initval needs a number`);
        spec.initval = Number(val);
        break;
      case 'dbtable':
        throw new Error(`htable "${spec.name}": dbtable is not supported yet (no database layer)`);
      default:
        throw new Error(`bad htable definition "${text}": unknown attribute "${key}"`);
    }
  }
  return spec;
}
