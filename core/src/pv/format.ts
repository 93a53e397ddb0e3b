/** Strings with embedded PVs (xlog formats, "sip:$rU@$fd"), split once into parts. */
import type { PvFormat, PvSpec } from './types';
import type { RunCtx } from '../script/types';

/** How a null PV prints inside a format (xlog's convention). */
export const NULL_TEXT = '<null>';

export class Format implements PvFormat {
  readonly isStatic: boolean;
  readonly single: PvSpec | null;
  /** literal strings and specs, in order */
  private readonly parts: readonly (string | PvSpec)[];

  constructor(readonly text: string, parts: (string | PvSpec)[]) {
    this.parts = parts;
    this.isStatic = parts.every((p) => typeof p === 'string');
    this.single = parts.length === 1 && typeof parts[0] !== 'string' ? parts[0] : null;
  }

  print(ctx: RunCtx): string {
    const parts = this.parts;
    if (this.isStatic) return parts.length === 0 ? '' : (parts[0] as string);
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (typeof p === 'string') out += p;
      else {
        const v = p.get(ctx);
        out += v === null ? NULL_TEXT : v;
      }
    }
    return out;
  }
}
