/**
 * The compiled config: every route block compiled once to a closure. Sub-routes are linked by
 * name before bodies are compiled (so recursion works); a block compiles to an async closure only
 * when something it calls, directly or through route(X), can return a Promise.
 */
import type { Core } from '../core';
import type { Diagnostic } from '../errors';
import type { RouteBlock, Stmt } from '../cfg/ast';
import { walkStmts } from '../cfg/walk';
import { RouteType, type CompiledRoute, type RouteKind, type RunCtx, type ScriptApi } from './types';
import { Env, type Fn, type RouteRef } from './env';
import { Compiler } from './compile-stmt';
import { CORE_ACTIONS } from './core-actions';

const ROUTE_TYPE: Record<RouteKind, number> = {
  request: RouteType.REQUEST,
  failure: RouteType.FAILURE,
  onreply: RouteType.ONREPLY,
  branch: RouteType.BRANCH,
  onsend: RouteType.ONSEND,
  event: RouteType.EVENT | RouteType.REQUEST,
};

interface Entry {
  readonly run: CompiledRoute;
  readonly async: boolean;
}

export class Script implements ScriptApi {
  private readonly table = new Map<string, Entry>();
  /** every block of the config, known before any body is compiled (fixups ask has()) */
  private readonly declared = new Set<string>();

  route(kind: RouteKind, name: string): CompiledRoute | undefined {
    return this.table.get(`${kind}:${name}`)?.run;
  }

  has(kind: RouteKind, name: string): boolean {
    return this.declared.has(`${kind}:${name}`);
  }

  isAsync(kind: RouteKind, name: string): boolean {
    return this.table.get(`${kind}:${name}`)?.async === true;
  }

  /** Names of the blocks of one kind (e.g. every event_route), in no particular order. */
  names(kind: RouteKind): string[] {
    const p = `${kind}:`;
    return [...this.declared].filter((k) => k.startsWith(p)).map((k) => k.slice(p.length));
  }

  /** @internal */
  declare(kind: RouteKind, name: string): void {
    this.declared.add(`${kind}:${name}`);
  }

  /** @internal */
  set(kind: RouteKind, name: string, fn: Fn, async: boolean): void {
    // a top-level run starts with clear run flags; they stay readable afterwards (drop)
    const run: CompiledRoute = (ctx: RunCtx) => {
      ctx.runFlags = 0;
      ctx.depth = 0;
      return fn(ctx);
    };
    this.table.set(`${kind}:${name}`, { run, async });
  }
}

/** Merge blocks: a named block twice is an error; unnamed blocks of one kind are concatenated. */
function group(blocks: readonly RouteBlock[], diags: Diagnostic[]): Map<string, { kind: RouteKind; name: string; body: Stmt[] }> {
  const out = new Map<string, { kind: RouteKind; name: string; body: Stmt[] }>();
  for (const b of blocks) {
    const key = `${b.kind}:${b.name}`;
    const prev = out.get(key);
    if (!prev) out.set(key, { kind: b.kind, name: b.name, body: [...b.body] });
    // unnamed blocks are appended; route[0] after route{} is a duplicate
    else if (b.name === 'main' && !b.numbered) prev.body.push(...b.body);
    else diags.push({ code: 'SIPR_CFG_SEMANTIC', message: `duplicate route ${b.kind === 'request' ? 'route' : b.kind + '_route'}[${b.numbered ? '0' : b.name}]`, severity: 'error', ...b.pos });
  }
  return out;
}

/** Which request routes may return a Promise (directly or through the routes they call). */
function asyncRoutes(core: Core, routes: Map<string, { kind: RouteKind; name: string; body: Stmt[] }>): Set<string> {
  const direct = new Set<string>();
  const calls = new Map<string, Set<string>>();
  for (const [key, r] of routes) {
    const called = new Set<string>();
    const rt = ROUTE_TYPE[r.kind];
    walkStmts(r.body, {
      call(c) {
        if (CORE_ACTIONS[c.name]) return;
        const f = core.modules.findFunction(c.name, c.args.length, rt);
        if (!('error' in f) && f.fn.async) direct.add(key);
      },
      route(name) {
        called.add(`request:${name}`);
      },
    });
    calls.set(key, called);
  }
  const out = new Set(direct);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, called] of calls) {
      if (out.has(key)) continue;
      for (const c of called) if (out.has(c)) {
        out.add(key);
        changed = true;
        break;
      }
    }
  }
  return out;
}

/** Compile every block; `pending` receives start-time work (name resolution) the caller awaits. */
export function compileScript(core: Core, blocks: readonly RouteBlock[], flagNames: ReadonlyMap<string, number>, diags: Diagnostic[], pending: Promise<void>[]): Script {
  const routes = group(blocks, diags);
  const async = asyncRoutes(core, routes);
  const refs = new Map<string, RouteRef>();
  for (const r of routes.values()) {
    if (r.kind === 'request') refs.set(r.name, { fn: () => 1, async: async.has(`request:${r.name}`) });
  }
  const env = new Env(core, diags, flagNames, refs);
  const compiler = new Compiler(env);
  const script = new Script();
  for (const r of routes.values()) script.declare(r.kind, r.name);
  // module fixups (t_on_failure("x") ...) check route names through core.script
  core.script = script;
  for (const r of routes.values()) {
    env.routeType = ROUTE_TYPE[r.kind];
    const c = compiler.seq(r.body);
    const isAsync = c.async || async.has(`${r.kind}:${r.name}`);
    if (r.kind === 'request') refs.get(r.name)!.fn = c.fn;
    if (r.kind === 'onsend' && isAsync) {
      const pos = blocks.find((b) => b.kind === 'onsend')!.pos;
      env.err('onsend_route cannot call anything asynchronous', pos);
    }
    script.set(r.kind, r.name, c.fn, isAsync);
  }
  pending.push(...env.pending);
  return script;
}
