/** One header field of a received message: offsets into the buffer, value decoded on demand. */
import type { HeaderField } from './types';
import { latin1 as latin1Of } from './chars';

const latin1 = latin1Of;

const FOLD = /\r?\n[ \t]+/g;

export class Header implements HeaderField {
  /** typed value cached by the accessor that parsed it */
  parsed: unknown = undefined;
  private text: string | undefined = undefined;

  constructor(
    private readonly src: Buffer,
    /** name as written; null until first asked for (known names are matched on the bytes) */
    private nameText: string | null,
    readonly key: string,
    readonly start: number,
    readonly end: number,
    /** value bytes [valueStart, valueEnd) in the buffer, trimmed */
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly folded: boolean,
  ) {}

  /** Offset just after the name (before any whitespace and the colon). */
  get nameEnd(): number {
    let i = this.start;
    while (i < this.end && this.src[i] !== 58 && this.src[i] !== 32 && this.src[i] !== 9) i++;
    return i;
  }

  get name(): string {
    return (this.nameText ??= latin1(this.src, this.start, this.nameEnd));
  }

  get value(): string {
    if (this.text === undefined) {
      const raw = latin1(this.src, this.valueStart, this.valueEnd);
      this.text = this.folded ? raw.replace(FOLD, ' ') : raw;
    }
    return this.text;
  }
}
