/**
 * The last parse error of a run, read by `$(err.class)`, `$(err.level)`, `$(err.info)`,
 * `$(err.rcode)`, `$(err.rreason)`. Kamailio's parsers record one when a header or URI the script
 * touches is malformed (class 1 "parser", level 3 "medium", a 400 reply recommended); here a
 * SipParseError that a PV or select turns into "undefined" records it. Nothing is allocated unless
 * an error happens.
 */
import type { RunCtx } from '../script/types';
import type { SipParseError } from '../sip/types';

export interface ErrInfo {
  readonly cls: number;
  readonly level: number;
  readonly info: string;
  readonly rcode: number;
  readonly rreason: string;
}

const KEY = 'core.errinfo';
const PARSER_CLASS = 1;
const LEVEL_MEDIUM = 3;

export function recordParseError(ctx: RunCtx, e: SipParseError): void {
  const via = e.where === 'via';
  ctx.slots.set(KEY, {
    cls: PARSER_CLASS,
    level: LEVEL_MEDIUM,
    info: `error parsing ${e.where}: ${e.message}`,
    rcode: 400,
    rreason: via ? 'bad Via header' : e.where === 'uri' ? 'bad uri' : 'bad headers',
  } satisfies ErrInfo);
}

/** The recorded error, or undefined when the run has had none. */
export function errInfoOf(ctx: RunCtx): ErrInfo | undefined {
  return ctx.slots.get(KEY) as ErrInfo | undefined;
}
