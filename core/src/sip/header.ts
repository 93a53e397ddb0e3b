/** One header field of a received message: offsets into the buffer, value decoded on demand. */
import type { HeaderField } from './types';

const FOLD = /\r?\n[ \t]+/g;

export class Header implements HeaderField {
  /** typed value cached by the accessor that parsed it */
  parsed: unknown = undefined;
  private text: string | undefined = undefined;

  constructor(
    private readonly src: Buffer,
    readonly name: string,
    readonly key: string,
    readonly start: number,
    readonly end: number,
    /** value bytes [valueStart, valueEnd) in the buffer, trimmed */
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly folded: boolean,
  ) {}

  get value(): string {
    if (this.text === undefined) {
      const raw = this.src.toString('latin1', this.valueStart, this.valueEnd);
      this.text = this.folded ? raw.replace(FOLD, ' ') : raw;
    }
    return this.text;
  }
}
