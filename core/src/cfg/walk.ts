/** Visit every call and route(X) in a statement list (expressions included). */
import type { CallStmt, Expr, Stmt } from './ast';

export interface Visitor {
  call(c: CallStmt): void;
  route(name: string): void;
}

export function walkStmts(stmts: readonly Stmt[], v: Visitor): void {
  for (const s of stmts) walkStmt(s, v);
}

function walkStmt(s: Stmt, v: Visitor): void {
  switch (s.k) {
    case 'call':
      return v.call(s);
    case 'route':
      return v.route(s.name);
    case 'assign':
      return walkExpr(s.e, v);
    case 'block':
      return walkStmts(s.body, v);
    case 'if':
      walkExpr(s.cond, v);
      walkStmts(s.then, v);
      if (s.else) walkStmts(s.else, v);
      return;
    case 'while':
      walkExpr(s.cond, v);
      return walkStmts(s.body, v);
    case 'switch':
      walkExpr(s.e, v);
      for (const c of s.cases) walkStmts(c.body, v);
      return;
    case 'ret':
      if (s.e) walkExpr(s.e, v);
  }
}

function walkExpr(e: Expr, v: Visitor): void {
  switch (e.k) {
    case 'bin':
      walkExpr(e.l, v);
      return walkExpr(e.r, v);
    case 'un':
      return walkExpr(e.e, v);
    case 'call':
      return v.call(e.call);
    case 'block':
      return walkStmts(e.body, v);
    case 'assign':
      return walkExpr(e.a.e, v);
    case 'kw':
      if (e.rhs.k === 'expr') walkExpr(e.rhs.e, v);
  }
}
