/** Statements to closures, following the control-flow contract of cfg-language.md §5.1. */
import type { Arg, AssignStmt, CallStmt, Case, Expr, Stmt } from '../cfg/ast';
import { compileEre, ereTest } from '../cfg/regex';
import { ErrorCode, type SourcePos } from '../errors';
import type { ModuleFunction, ScriptParam } from '../modules/types';
import { RouteType, type RunCtx } from './types';
import { then, type Compiled, type Env, type Fn } from './env';
import { compileExpr, staticStr, type CE, type StmtCompiler } from './compile-expr';
import { RunFlag, MAX_ROUTE_DEPTH } from './flags';
import { runSeq, seqFn } from './run-seq';
import { CORE_ACTIONS, NOT_ONSEND } from './core-actions';
import { toInt, toStr, type Val } from './values';

const CLEAR_RB = ~(RunFlag.RETURN | RunFlag.BREAK);

function evalFailed(ctx: RunCtx, err: unknown, pos: SourcePos, what: string): number {
  ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: ${what} evaluation failed: ${(err as Error).message}`);
  return 0;
}

/** Evaluate a condition to int; an evaluation error counts as false. */
function condValue(ctx: RunCtx, ev: CE['ev'], pos: SourcePos): number | Promise<number> {
  try {
    const v = ev(ctx);
    if (v !== null && typeof v === 'object') return (v as Promise<Val>).then(toInt, (e) => evalFailed(ctx, e, pos, 'expression'));
    return toInt(v as Val);
  } catch (e) {
    return evalFailed(ctx, e, pos, 'expression');
  }
}

/** After a condition: a 0-returning function there stops the script; return/break inside it are dropped. */
function afterCond(ctx: RunCtx): boolean {
  const f = ctx.runFlags;
  if (f) {
    if (f & RunFlag.EXIT) return false;
    ctx.runFlags = f & CLEAR_RB;
  }
  return true;
}

export class Compiler implements StmtCompiler {
  constructor(readonly env: Env) {}

  seq(stmts: readonly Stmt[]): Compiled {
    const parts = stmts.map((s) => this.stmt(s));
    return { fn: seqFn(parts.map((p) => p.fn)), async: parts.some((p) => p.async) };
  }

  block(body: Stmt[]): Compiled {
    return this.seq(body);
  }

  expr(e: Expr): CE {
    return compileExpr(this.env, this, e);
  }

  stmt(s: Stmt): Compiled {
    switch (s.k) {
      case 'call':
        return this.call(s);
      case 'assign':
        return this.assign(s);
      case 'block':
        return this.seq(s.body);
      case 'if':
        return this.ifStmt(s.cond, s.then, s.else, s.pos);
      case 'while':
        return this.whileStmt(s.cond, s.body, s.pos);
      case 'switch':
        return this.switchStmt(s.e, s.cases, s.pos);
      case 'ret':
        return this.ret(s.kind, s.e, s.pos);
      case 'route':
        return this.route(s.name, s.pos);
    }
  }

  private ifStmt(c: Expr, t: Stmt[], e: Stmt[] | undefined, pos: SourcePos): Compiled {
    const cond = this.expr(c);
    const th = this.seq(t);
    const el = e ? this.seq(e) : undefined;
    const ev = cond.ev;
    const tf = th.fn;
    const ef = el?.fn;
    const branch = (ctx: RunCtx, v: number): number | Promise<number> => {
      if (!afterCond(ctx)) return 0;
      if (v > 0) return tf(ctx);
      return ef ? ef(ctx) : 1;
    };
    if (!cond.async) {
      if (cond.konst) {
        this.env.warn('constant condition in if', pos);
        const v = toInt(cond.konst.v);
        return { fn: v > 0 ? tf : (ef ?? (() => 1)), async: th.async || el?.async === true };
      }
      return {
        fn: (ctx) => {
          let v: number;
          try {
            v = toInt(ev(ctx));
          } catch (err) {
            v = evalFailed(ctx, err, pos, 'if expression');
          }
          return branch(ctx, v);
        },
        async: th.async || el?.async === true,
      };
    }
    return { fn: (ctx) => then(condValue(ctx, ev, pos), (v) => branch(ctx, v)), async: true };
  }

  private whileStmt(c: Expr, b: Stmt[], pos: SourcePos): Compiled {
    const cond = this.expr(c);
    if (staticStr(cond)) this.env.err('bad type in while condition, integer expected', c.pos);
    const body = this.seq(b);
    const ev = cond.ev;
    const bf = body.fn;
    const core = this.env.core;
    const maxLoops = () => Number(core.globals.get('max_while_loops') ?? 100);
    const overflow = (ctx: RunCtx) => {
      ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: while loop exceeded max_while_loops (${maxLoops()})`);
      return -1;
    };
    // 3.0: the loop runs while the condition is non-zero (negative counts as true)
    if (!cond.async && !body.async) {
      return {
        fn: (ctx) => {
          const max = maxLoops();
          let r = 1;
          for (let n = 0; ; ) {
            let v: number;
            try {
              v = toInt(ev(ctx));
            } catch (err) {
              v = evalFailed(ctx, err, pos, 'while expression');
            }
            if (!afterCond(ctx)) return 0;
            if (v === 0) break;
            if (++n > max) return overflow(ctx);
            r = bf(ctx) as number;
            const f = ctx.runFlags;
            if (f) {
              if (f & RunFlag.BREAK) ctx.runFlags = f & ~RunFlag.BREAK;
              break;
            }
          }
          return r;
        },
        async: false,
      };
    }
    return {
      fn: async (ctx) => {
        const max = maxLoops();
        let r = 1;
        for (let n = 0; ; ) {
          const v = await condValue(ctx, ev, pos);
          if (!afterCond(ctx)) return 0;
          if (v === 0) break;
          if (++n > max) return overflow(ctx);
          r = await bf(ctx);
          const f = ctx.runFlags;
          if (f) {
            if (f & RunFlag.BREAK) ctx.runFlags = f & ~RunFlag.BREAK;
            break;
          }
        }
        return r;
      },
      async: true,
    };
  }

  private switchStmt(e: Expr, cases: Case[], pos: SourcePos): Compiled {
    const env = this.env;
    const value = this.expr(e);
    const flat: Fn[] = [];
    let async = value.async;
    let deflt = -1;
    let kind: 'int' | 'str' | null = null;
    const ints = new Map<number, number>();
    const strs: { s?: string; re?: RegExp; start: number }[] = [];
    for (const c of cases) {
      const start = flat.length;
      for (const st of c.body) {
        const x = this.stmt(st);
        flat.push(x.fn);
        async ||= x.async;
      }
      if (c.label === undefined) {
        if (deflt >= 0) env.err('duplicate default in switch', c.pos);
        deflt = start;
        continue;
      }
      const l = this.expr(c.label);
      if (!l.konst) {
        env.err('case label must be a constant', c.pos);
        continue;
      }
      const lk: 'int' | 'str' = c.regex || typeof l.konst.v === 'string' ? 'str' : 'int';
      if (kind === null) kind = lk;
      else if (kind !== lk) {
        env.err(`switch mixes ${kind} and ${lk} case labels`, c.pos);
        continue;
      }
      if (lk === 'int') {
        const n = toInt(l.konst.v);
        if (ints.has(n)) env.err(`duplicate case ${n}`, c.pos);
        else ints.set(n, start);
      } else if (c.regex) {
        try {
          strs.push({ re: compileEre(toStr(l.konst.v), false), start });
        } catch (err) {
          env.err((err as Error).message, c.label.pos);
        }
      } else strs.push({ s: toStr(l.konst.v), start });
    }
    const pick = (v: Val): number => {
      if (kind === 'int') return ints.get(toInt(v)) ?? deflt;
      const s = toStr(v);
      for (const c of strs) if (c.s !== undefined ? c.s === s : ereTest(c.re!, s)) return c.start;
      return deflt;
    };
    // break ends the switch; return/exit pass through
    const consumeBreak = (ctx: RunCtx, r: number): number => {
      const f = ctx.runFlags;
      if (f && f & RunFlag.BREAK) ctx.runFlags = f & ~RunFlag.BREAK;
      return r;
    };
    const run = (ctx: RunCtx, start: number): number | Promise<number> => {
      if (!afterCond(ctx)) return 0;
      if (start < 0) return 1;
      const r = runSeq(flat, start, ctx);
      return typeof r === 'number' ? consumeBreak(ctx, r) : r.then((x) => consumeBreak(ctx, x));
    };
    const ev = value.ev;
    const choose = (ctx: RunCtx, v: Val): number => {
      try {
        return pick(v);
      } catch (err) {
        evalFailed(ctx, err, pos, 'switch');
        return deflt;
      }
    };
    return {
      fn: (ctx) => {
        let v: Val | Promise<Val>;
        try {
          v = ev(ctx);
        } catch (err) {
          evalFailed(ctx, err, pos, 'switch');
          return run(ctx, deflt);
        }
        if (v !== null && typeof v === 'object') {
          return (v as Promise<Val>).then(
            (x) => run(ctx, choose(ctx, x)),
            (err) => (evalFailed(ctx, err, pos, 'switch'), run(ctx, deflt)),
          );
        }
        return run(ctx, choose(ctx, v));
      },
      async,
    };
  }

  private ret(kind: 'drop' | 'exit' | 'return' | 'break', e: Expr | undefined, pos: SourcePos): Compiled {
    const flag = kind === 'drop' ? RunFlag.EXIT | RunFlag.DROP : kind === 'exit' ? RunFlag.EXIT : kind === 'return' ? RunFlag.RETURN : RunFlag.BREAK;
    // return without a value gives 1; exit, drop and break give 0
    const dflt = kind === 'return' ? 1 : 0;
    if (e === undefined) return { fn: (ctx) => ((ctx.runFlags = (ctx.runFlags ?? 0) | flag), dflt), async: false };
    const v = this.expr(e);
    const ev = v.ev;
    const raise = (ctx: RunCtx, n: number): number => {
      ctx.runFlags = (ctx.runFlags ?? 0) | flag;
      return n;
    };
    if (v.konst) {
      const n = toInt(v.konst.v);
      return { fn: (ctx) => raise(ctx, n), async: false };
    }
    return {
      fn: (ctx) => {
        const n = condValue(ctx, ev, pos);
        return typeof n === 'number' ? raise(ctx, n) : n.then((x) => raise(ctx, x));
      },
      async: v.async,
    };
  }

  private route(name: string, pos: SourcePos): Compiled {
    if (this.env.routeType === RouteType.ONSEND) this.env.err('route() cannot be used in onsend_route', pos);
    const ref = this.env.routes.get(name);
    if (!ref) {
      // a numeric route that was never defined is an empty route (returns 1), as in Kamailio
      if (!/^\d+$/.test(name)) this.env.err(`route '${name}' is not defined`, pos);
      return { fn: (ctx) => (ctx.rc = 1), async: false };
    }
    const done = (ctx: RunCtx, d: number, r: number): number => {
      ctx.depth = d;
      ctx.rc = r;
      const f = ctx.runFlags;
      if (f) ctx.runFlags = f & CLEAR_RB;
      return r;
    };
    return {
      fn: (ctx) => {
        const d = ctx.depth ?? 0;
        if (d >= MAX_ROUTE_DEPTH) {
          ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: route(${name}) nested more than ${MAX_ROUTE_DEPTH} levels`);
          return -1;
        }
        ctx.depth = d + 1;
        const r = ref.fn(ctx);
        if (typeof r === 'number') return done(ctx, d, r);
        return r.then((x) => done(ctx, d, x));
      },
      async: ref.async,
    };
  }

  assign(a: AssignStmt): Compiled {
    const env = this.env;
    const v = this.expr(a.e);
    let spec;
    try {
      spec = env.core.pv.parse(a.lv.text, a.lv.mode);
    } catch (err) {
      env.err((err as Error).message, a.lv.pos);
      return { fn: () => -1, async: false };
    }
    if (!spec.writable) {
      env.err(`${a.lv.text} is read-only`, a.lv.pos);
      return { fn: () => -1, async: false };
    }
    const sp = spec;
    const pos = a.pos;
    const write = (ctx: RunCtx, val: Val): number => {
      try {
        sp.set(ctx, val);
        return 1;
      } catch (err) {
        ctx.core.log.error(`${pos.file}:${pos.line}:${pos.column}: assignment to ${sp.text} failed: ${(err as Error).message}`);
        return -1;
      }
    };
    const failed = (ctx: RunCtx, err: unknown): number => (evalFailed(ctx, err, pos, 'assignment'), -1);
    const ev = v.ev;
    if (v.konst) {
      const k = v.konst.v;
      return { fn: (ctx) => write(ctx, k), async: false };
    }
    if (v.async) return { fn: (ctx) => (ev(ctx) as Promise<Val>).then((x) => write(ctx, x), (err) => failed(ctx, err)), async: true };
    return {
      fn: (ctx) => {
        let x: Val;
        try {
          x = ev(ctx);
        } catch (err) {
          return failed(ctx, err);
        }
        return write(ctx, x);
      },
      async: false,
    };
  }

  call(c: CallStmt): Compiled {
    const env = this.env;
    const core = CORE_ACTIONS[c.name];
    if (core) {
      if (!core.arities.includes(c.args.length)) {
        env.err(`${c.name}() takes ${core.arities.join(' or ')} parameter(s), ${c.args.length} given`, c.pos);
        return { fn: () => -1, async: false };
      }
      if (!((core.allowed ?? NOT_ONSEND) & env.routeType)) env.err(`${c.name}() cannot be used in this route block`, c.pos);
      return { fn: core.compile(env, c.args, c.pos), async: false };
    }
    const found = env.core.modules.findFunction(c.name, c.args.length, env.routeType);
    if ('error' in found) {
      if (found.error === 'unknown') env.err(`unknown command '${c.name}' with ${c.args.length} parameter(s), missing loadmodule?`, c.pos, ErrorCode.UNKNOWN_FUNCTION);
      else env.err(`command '${c.name}' cannot be used in this route block`, c.pos, ErrorCode.UNKNOWN_FUNCTION);
      return { fn: () => -1, async: false };
    }
    const fn = found.fn;
    const params: ScriptParam[] = c.args.map((a: Arg) => ({ value: a.v, pos: a.pos }));
    let fixed: unknown[] = params.map((p) => p.value);
    if (fn.fixup) {
      try {
        fixed = fn.fixup(params, { core: env.core, fn: c.name, routeType: env.routeType, pos: c.pos, params, compatMode: c.mode });
      } catch (err) {
        env.err(`${c.name}(): ${(err as Error).message}`, (err as { pos?: SourcePos }).pos ?? c.pos, ErrorCode.FIXUP);
        return { fn: () => -1, async: false };
      }
    }
    return { fn: moduleCall(fn, fixed, c.pos), async: fn.async === true };
  }
}

function moduleCall(fn: ModuleFunction, p: readonly unknown[], pos: SourcePos): Fn {
  const impl = fn.impl;
  const post = (ctx: RunCtx, r: number): number => {
    if (r === 0) ctx.runFlags = (ctx.runFlags ?? 0) | RunFlag.EXIT;
    ctx.rc = r;
    return r;
  };
  const failed = (ctx: RunCtx, err: unknown): number => {
    const core = ctx.core;
    core.failures.function++;
    core.log.error(`${pos.file}:${pos.line}:${pos.column}: ${fn.name}() failed: ${core.log.describe(err)}`);
    ctx.rc = -1;
    return -1;
  };
  const settle = (ctx: RunCtx, r: number | Promise<number>): number | Promise<number> =>
    typeof r === 'number' ? post(ctx, r) : r.then((x) => post(ctx, x), (err) => failed(ctx, err));
  const [p0, p1, p2] = p;
  switch (p.length) {
    case 0:
      return (ctx) => {
        try {
          return settle(ctx, impl(ctx));
        } catch (err) {
          return failed(ctx, err);
        }
      };
    case 1:
      return (ctx) => {
        try {
          return settle(ctx, impl(ctx, p0));
        } catch (err) {
          return failed(ctx, err);
        }
      };
    case 2:
      return (ctx) => {
        try {
          return settle(ctx, impl(ctx, p0, p1));
        } catch (err) {
          return failed(ctx, err);
        }
      };
    case 3:
      return (ctx) => {
        try {
          return settle(ctx, impl(ctx, p0, p1, p2));
        } catch (err) {
          return failed(ctx, err);
        }
      };
    default:
      return (ctx) => {
        try {
          return settle(ctx, impl(ctx, ...p));
        } catch (err) {
          return failed(ctx, err);
        }
      };
  }
}

