import type { SourcePos } from '../errors';
import type { CompatMode } from '../core';

export type TokKind = 'id' | 'num' | 'str' | 'pv' | 'sel' | 'op' | 'eof';

export interface Token {
  readonly kind: TokKind;
  /** id/op/pv/sel: the text; str: the decoded value; num: the text as written */
  readonly text: string;
  /** num only */
  readonly num: number;
  readonly pos: SourcePos;
  /** whitespace or a comment precedes the token (adjacent tokens form hosts, IPs, event names) */
  readonly spaced: boolean;
  /** compat mode in force where the token starts */
  readonly mode: CompatMode;
}
