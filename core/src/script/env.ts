/** State shared while compiling one config: diagnostics, route table, declared flags. */
import type { Core } from '../core';
import { ErrorCode, type Diagnostic, type SourcePos } from '../errors';
import type { RunCtx } from './types';

export type Fn = (ctx: RunCtx) => number | Promise<number>;

export interface Compiled {
  readonly fn: Fn;
  /** may return a Promise */
  readonly async: boolean;
}

/** A request sub-route, linked before the bodies are compiled so recursion works. */
export interface RouteRef {
  fn: Fn;
  readonly async: boolean;
}

export class Env {
  /** route type of the block being compiled (validates module functions) */
  routeType = 0;
  /** start-time work that must finish before the config is ready (name resolution) */
  readonly pending: Promise<void>[] = [];
  constructor(
    readonly core: Core,
    readonly diags: Diagnostic[],
    readonly flagNames: ReadonlyMap<string, number>,
    readonly routes: ReadonlyMap<string, RouteRef>,
  ) {}

  err(message: string, pos: SourcePos, code: string = ErrorCode.CONFIG_SEMANTIC): void {
    this.diags.push({ code, message, severity: 'error', ...pos });
  }

  warn(message: string, pos: SourcePos): void {
    this.diags.push({ code: ErrorCode.CONFIG_SEMANTIC, message, severity: 'warning', ...pos });
  }
}

/** Chain a continuation after a result that may be a Promise, without allocating when it is not. */
export function then(r: number | Promise<number>, k: (v: number) => number | Promise<number>): number | Promise<number> {
  return typeof r === 'number' ? k(r) : r.then(k);
}
