import { SiprError, ErrorCode, type SourcePos } from '../errors';

/**
 * A PV or select the config cannot use. `offset` is where in the PV text the problem is, so the
 * config checker can report the exact column (token column + offset).
 */
export class PvError extends SiprError {
  readonly offset: number;
  constructor(message: string, offset = 0, code: string = ErrorCode.PV_SYNTAX, pos?: SourcePos) {
    super(code, message, pos);
    this.name = 'PvError';
    this.offset = offset;
  }
}
