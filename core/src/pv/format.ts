/** Strings with embedded PVs (xlog formats, "sip:$rU@$fd"), split once into parts. */
import type { PvFormat } from './types';
import type { RunCtx } from '../script/types';
import type { BoundPv } from './spec';

export { NULL_TEXT } from './spec';

export class Format implements PvFormat {
  readonly isStatic: boolean;
  readonly single: BoundPv | null;
  /** literal strings and specs, in order */
  private readonly parts: readonly (string | BoundPv)[];

  constructor(readonly text: string, parts: (string | BoundPv)[]) {
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
      out += typeof p === 'string' ? p : p.print(ctx);
    }
    return out;
  }
}
