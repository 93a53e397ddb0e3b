/**
 * Expressions to closures. Constants are folded, the static type checks of §6.3 run here, and an
 * expression is compiled to an async closure only when it contains something async.
 */
import type { AssignStmt, CallStmt, Expr, Stmt } from '../cfg/ast';
import { compileEre, ereTest } from '../cfg/regex';
import type { SourcePos } from '../errors';
import type { RunCtx } from './types';
import type { Compiled, Env } from './env';
import { BINARY, INT_ONLY, ScriptEvalError, UNARY, toInt, toStr, type Val } from './values';
import { compileKeyword } from './keywords';
import { optimize01 } from './opt01';

export type StaticType = 'int' | 'str' | 'dyn';

export interface CE {
  /** returns Val, or Promise<Val> when async */
  readonly ev: (ctx: RunCtx) => any;
  readonly async: boolean;
  readonly type: StaticType;
  /** set for constants (after folding) */
  readonly konst?: { readonly v: Val };
  /** a lone PV/AVP/select: `defined` looks at it, constant strings from selects are type-checked */
  readonly standalone?: 'pv' | 'sel';
}

/** What the expression compiler needs from the statement compiler. */
export interface StmtCompiler {
  call(c: CallStmt): Compiled;
  block(body: Stmt[], pos: SourcePos): Compiled;
  assign(a: AssignStmt): Compiled;
}

const ZERO: CE = { ev: () => 0, async: false, type: 'int', konst: { v: 0 } };
/** Stands for an operand that failed to compile: dynamic, so it causes no follow-up type errors. */
const BROKEN: CE = { ev: () => null, async: false, type: 'dyn' };

function konst(v: Val): CE {
  return { ev: () => v, async: false, type: typeof v === 'number' ? 'int' : 'str', konst: { v } };
}

type Selects = { parse(text: string): { get(ctx: RunCtx): string | null } };

export function compileExpr(env: Env, sc: StmtCompiler, e: Expr): CE {
  switch (e.k) {
    case 'num':
      return konst(e.v);
    case 'str':
      return konst(e.v);
    case 'pv': {
      try {
        const spec = env.core.pv.parse(e.text, e.mode);
        return { ev: (ctx: RunCtx) => spec.get(ctx), async: false, type: 'dyn', standalone: 'pv' };
      } catch (err) {
        env.err(`${(err as Error).message}`, e.pos);
        return BROKEN;
      }
    }
    case 'sel': {
      const sel = env.core.selects as unknown as Partial<Selects>;
      try {
        if (typeof sel.parse !== 'function') throw new Error('selects are not available');
        const s = sel.parse(e.text);
        return { ev: (ctx: RunCtx) => s.get(ctx), async: false, type: 'str', standalone: 'sel' };
      } catch (err) {
        env.err(`bad select ${e.text}: ${(err as Error).message}`, e.pos);
        return BROKEN;
      }
    }
    case 'un':
      return unary(env, e.op, compileExpr(env, sc, e.e), e.pos);
    case 'bin':
      return binary(env, sc, e.op, e.l, e.r, e.pos);
    case 'call':
      return actionValue(sc.call(e.call));
    case 'block':
      return actionValue(sc.block(e.body, e.pos));
    case 'assign':
      return actionValue(sc.assign(e.a));
    case 'kw':
      return compileKeyword(env, sc, e);
  }
}

/** A function call or `{ actions }` used as an operand: 1 when it returned > 0, else 0. */
function actionValue(c: Compiled): CE {
  const fn = c.fn;
  if (!c.async) return { ev: (ctx: RunCtx) => ((fn(ctx) as number) > 0 ? 1 : 0), async: false, type: 'int' };
  return { ev: async (ctx: RunCtx) => ((await fn(ctx)) > 0 ? 1 : 0), async: true, type: 'int' };
}

function fold(env: Env, f: () => Val, pos: SourcePos): CE {
  try {
    return konst(f());
  } catch (err) {
    env.err(`constant expression: ${(err as Error).message}`, pos);
    return ZERO;
  }
}

function unary(env: Env, op: string, a: CE, pos: SourcePos): CE {
  if (op === 'defined') {
    if (a.standalone === undefined) return konst(1);
    const g = a.ev;
    return { ev: (ctx: RunCtx) => (g(ctx) === null ? 0 : 1), async: false, type: 'int' };
  }
  if ((op === '-' || op === '!') && staticStr(a)) env.err(`type mismatch: string operand of '${op}'`, pos);
  if ((op === 'strlen' || op === 'strempty') && a.type === 'int') env.err(`type mismatch: ${op}() needs a string`, pos);
  const f = UNARY[op];
  const v = a.konst;
  if (v) return fold(env, () => f(v.v), pos);
  const type: StaticType = op === 'str' ? 'str' : 'int';
  const g = a.ev;
  if (a.async) return { ev: async (ctx: RunCtx) => f(await g(ctx)), async: true, type };
  return { ev: (ctx: RunCtx) => f(g(ctx)), async: false, type };
}

function binary(env: Env, sc: StmtCompiler, op: string, le: Expr, re: Expr, pos: SourcePos): CE {
  const l = compileExpr(env, sc, le);
  const r = compileExpr(env, sc, re);
  checkTypes(env, op, l, r, pos);
  const opt = optimize01(op, l, r);
  if (opt) return opt;
  if (op === '&&' || op === '||') return logical(op, l, r);
  if (op === '=~' || op === '!~') return match(env, op === '!~', l, r, re.pos);
  const f = BINARY[op];
  const lk = l.konst;
  const rk = r.konst;
  if (lk && rk) return fold(env, () => f(lk.v, rk.v), pos);
  const type: StaticType = op === '+' ? (l.type === 'int' ? 'int' : l.type === 'str' ? 'str' : 'dyn') : 'int';
  const lg = l.ev;
  const rg = r.ev;
  if (l.async || r.async) return { ev: async (ctx: RunCtx) => f(await lg(ctx), await rg(ctx)), async: true, type };
  if (rk) {
    const rv = rk.v;
    return { ev: (ctx: RunCtx) => f(lg(ctx), rv), async: false, type };
  }
  return { ev: (ctx: RunCtx) => f(lg(ctx), rg(ctx)), async: false, type };
}

const INT_FORCED = new Set([...INT_ONLY, 'ieq', 'ine', '&&', '||']);
const TYPED_BY_LEFT = new Set(['==', '!=', '+', 'eq', 'ne', '=~', '!~']);

/** A string known at start: a constant or a select (selects are always strings). */
export function staticStr(e: CE): boolean {
  return e.type === 'str' && (e.konst !== undefined || e.standalone === 'sel');
}

/**
 * Start-time type checks as kamailio does them: an operator that forces ints refuses a static
 * string on either side; `==`-like operators refuse an int-typed left side with a static string.
 */
function checkTypes(env: Env, op: string, l: CE, r: CE, pos: SourcePos): void {
  if (INT_FORCED.has(op) && (staticStr(l) || staticStr(r))) {
    env.err(`type mismatch: string operand of '${op}' (an int operator); use (int)`, pos);
    return;
  }
  if (TYPED_BY_LEFT.has(op) && l.type === 'int' && staticStr(r)) {
    env.err(`type mismatch: int on the left of '${op}' and a string on the right`, pos);
  }
}

function logical(op: '&&' | '||', l: CE, r: CE): CE {
  const lg = l.ev;
  const rg = r.ev;
  const and = op === '&&';
  if (l.async || r.async) {
    return {
      ev: async (ctx: RunCtx) => {
        const a = toInt(await lg(ctx)) !== 0;
        if (a !== and) return a ? 1 : 0;
        return toInt(await rg(ctx)) !== 0 ? 1 : 0;
      },
      async: true,
      type: 'int',
    };
  }
  if (and) return { ev: (ctx: RunCtx) => (toInt(lg(ctx)) !== 0 && toInt(rg(ctx)) !== 0 ? 1 : 0), async: false, type: 'int' };
  return { ev: (ctx: RunCtx) => (toInt(lg(ctx)) !== 0 || toInt(rg(ctx)) !== 0 ? 1 : 0), async: false, type: 'int' };
}

/** `=~` is case-insensitive POSIX ERE; a constant pattern is compiled once at start. */
function match(env: Env, negate: boolean, l: CE, r: CE, rpos: SourcePos): CE {
  const lg = l.ev;
  const yes = negate ? 0 : 1;
  const no = negate ? 1 : 0;
  if (r.konst) {
    let re: RegExp;
    try {
      re = compileEre(toStr(r.konst.v), true);
    } catch (err) {
      env.err((err as Error).message, rpos);
      return ZERO;
    }
    if (l.async) return { ev: async (ctx: RunCtx) => (ereTest(re, toStr(await lg(ctx))) ? yes : no), async: true, type: 'int' };
    return { ev: (ctx: RunCtx) => (ereTest(re, toStr(lg(ctx))) ? yes : no), async: false, type: 'int' };
  }
  const rg = r.ev;
  let lastSrc = '';
  let lastRe: RegExp | null = null;
  const dyn = (subject: Val, pattern: Val): number => {
    const src = toStr(pattern);
    if (lastRe === null || src !== lastSrc) {
      try {
        lastRe = compileEre(src, true);
        lastSrc = src;
      } catch (err) {
        throw new ScriptEvalError((err as Error).message);
      }
    }
    return ereTest(lastRe, toStr(subject)) ? yes : no;
  };
  if (l.async || r.async) return { ev: async (ctx: RunCtx) => dyn(await lg(ctx), await rg(ctx)), async: true, type: 'int' };
  return { ev: (ctx: RunCtx) => dyn(lg(ctx), rg(ctx)), async: false, type: 'int' };
}
