/**
 * Conversions shared by both shapes: export-table entries (tuples as in C, or objects with the
 * C field names) into the descriptor's functions, params, RPCs and stats.
 */
import {
  SiprError, ErrorCode,
  type FixupSite, type FnResult, type ModuleFunction, type ModuleParam, type RpcContext, type RpcExport,
  type RunCtx, type ScriptParam, type StatExport,
} from '@sipr/core';
import { NO_SCRIPT, PARAM_INT, PARAM_STR, PARAM_STRING, PARAM_USE_FUNC, STAT_IS_FUNC, STAT_NO_RESET, VAR_PARAM_NO } from './constants';
import type { ShapeFixup } from './fixups';
import type { Stat } from './stats';

/** A module function: `(ctx, p1, p2, ...)` with the fixed-up params; >0 true, <0 false, 0 stop. */
export type ShapeFunction = (ctx: RunCtx, ...params: any[]) => FnResult | Promise<FnResult>;

/** The fields every function entry has; `async` marks a function that may return a Promise. */
export interface CmdObject {
  name: string;
  function: ShapeFunction;
  param_no: number;
  fixup?: ShapeFixup | null;
  flags: number;
  async?: boolean;
}

/** A param target: a holder whose `value` is set, or with PARAM_USE_FUNC a function (type, value). */
export type ParamTarget<T> = { value: T } | ((type: number, value: T) => number | void);
export type ParamEntry = [name: string, type: number, target: ParamTarget<any>];

export type RpcFunction = (rpc: RpcContext) => void | Promise<void>;
export type RpcEntry = [name: string, fn: RpcFunction, doc: string] | { name: string; function: RpcFunction; doc_str?: string | string[]; doc?: string };

export type StatEntry = [name: string, flags: number, stat: Stat | (() => number)];

const err = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function toFunction(module: string, c: CmdObject): ModuleFunction {
  if (typeof c.name !== 'string' || typeof c.function !== 'function' || typeof c.param_no !== 'number') {
    throw new Error(`bad cmds entry ${JSON.stringify(c.name)}: needs name, function and param_no`);
  }
  const fx = c.fixup ?? null;
  const impl = c.function;
  const arity = c.param_no === VAR_PARAM_NO || c.param_no === NO_SCRIPT ? 'var' : c.param_no;
  const fixup = fx
    ? (params: readonly ScriptParam[], site: FixupSite): unknown[] => {
        const at = (p: ScriptParam | undefined, i: number, run: () => unknown) => {
          try {
            return run();
          } catch (e) {
            const pos = p?.pos ?? site.pos;
            // the config engine prefixes the function name
            const which = p ? `parameter ${i}: ` : '';
            throw new SiprError(ErrorCode.FIXUP, `${which}${err(e)} (module ${module})`, pos);
          }
        };
        if (params.length === 0) {
          at(undefined, 0, () => fx(null, 0, site));
          return [];
        }
        // C fixups receive every literal as a string ("old modules expect strings")
        return params.map((p, i) => at(p, i + 1, () => fx(String(p.value), i + 1, site)));
      }
    : undefined;
  return {
    name: c.name,
    arity,
    allowed: c.flags,
    impl,
    ...(fixup ? { fixup } : {}),
    // an `async function` always returns a Promise, so the tuple form needs no flag for it
    ...(c.async || impl.constructor.name === 'AsyncFunction' ? { async: true } : {}),
    ...(c.param_no === NO_SCRIPT ? { script: false } : {}),
  };
}

export function toParams(entries: readonly ParamEntry[] = []): ModuleParam[] {
  return entries.map(([name, type, target]) => {
    const pt = type & ~PARAM_USE_FUNC;
    const kind = pt === PARAM_INT ? 'int' : pt === PARAM_STRING || pt === PARAM_STR ? 'str' : null;
    if (!kind) throw new Error(`param ${name}: unknown type ${type}`);
    const useFunc = (type & PARAM_USE_FUNC) !== 0;
    if (useFunc !== (typeof target === 'function')) {
      throw new Error(`param ${name}: ${useFunc ? 'PARAM_USE_FUNC needs a function' : 'target must be a { value } holder (or use PARAM_USE_FUNC)'}`);
    }
    const set = (value: number | string): void => {
      if (typeof target === 'function') {
        const r = target(pt, value);
        if (typeof r === 'number' && r < 0) throw new Error(`invalid value ${JSON.stringify(value)}`);
      } else {
        target.value = value;
      }
    };
    return { name, type: kind, set };
  });
}

export function toRpc(entries: readonly RpcEntry[] = []): RpcExport[] {
  return entries.map((e) => {
    if (Array.isArray(e)) return { name: e[0], handler: e[1], doc: e[2] };
    const doc = e.doc ?? (Array.isArray(e.doc_str) ? e.doc_str[0] : e.doc_str) ?? '';
    return { name: e.name, handler: e.function, doc };
  });
}

export function toStats(entries: readonly StatEntry[] = []): StatExport[] {
  return entries.map(([name, flags, stat]) => {
    const noReset = (flags & STAT_NO_RESET) !== 0;
    if ((flags & STAT_IS_FUNC) !== 0 || typeof stat === 'function') {
      if (typeof stat !== 'function') throw new Error(`stat ${name}: STAT_IS_FUNC needs a function`);
      return { name, noReset: true, get: stat };
    }
    return { name, noReset, get: () => stat.value, ...(noReset ? {} : { reset: () => stat.reset() }) };
  });
}

/** C init functions return <0 on failure; a TS one may also throw. */
export function checked<A extends unknown[]>(what: string, f: ((...a: A) => unknown) | undefined) {
  if (!f) return undefined;
  return async (...a: A): Promise<void> => {
    const r = await f(...a);
    if (typeof r === 'number' && r < 0) throw new Error(`${what} returned ${r}`);
  };
}
