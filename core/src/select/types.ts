/** Select framework types: rows that define the legal `@a.b[i].c` paths and what they return. */
import type { RunCtx } from '../script/types';

/** A part of a select path: an identifier or `["string"]` (str), or `[n]` (int). */
export type SelParam = { readonly type: 'str'; readonly s: string } | { readonly type: 'int'; readonly n: number };

/**
 * One resolved step. `input` is what the previous step returned (null for the first); return
 * null/undefined for "not found". Values between steps may be objects (a Via, a SipUri); the last
 * must be a string, a number, or an object with a string `raw`.
 */
export type SelectFn = (ctx: RunCtx, input: any, args: readonly SelParam[]) => unknown;

export const SelFlag = {
  /** accepts without consuming a part: turns the parent's value into a generic producer's input */
  NESTED: 1,
  CONSUME_NEXT_STR: 2,
  CONSUME_NEXT_INT: 4,
  /** the consumed next part may be missing */
  OPTIONAL: 8,
  /** every remaining part goes to this step */
  CONSUME_ALL: 16,
  /** the path may not end here */
  PARAM_EXPECTED: 32,
} as const;

export interface SelectRow {
  /** the step this row follows; null for the first part */
  readonly parent: SelectFn | null;
  readonly type: 'str' | 'int';
  /** matched ignoring case; null matches any */
  readonly name: string | null;
  readonly fn: SelectFn;
  readonly flags?: number;
  /** Runs at start with the step's parts; throw to refuse the path. Its result replaces the args. */
  readonly fixup?: (args: readonly SelParam[]) => readonly SelParam[];
}

export interface CompiledSelect {
  readonly text: string;
  get(ctx: RunCtx): string | null;
}
