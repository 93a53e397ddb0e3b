/** Syntax tree of a config; every node carries the position it was written at. */
import type { SourcePos } from '../errors';
import type { CompatMode } from '../core';

export type Expr =
  | { k: 'num'; v: number; pos: SourcePos }
  | { k: 'str'; v: string; pos: SourcePos }
  | { k: 'pv'; text: string; mode: CompatMode; pos: SourcePos }
  | { k: 'sel'; text: string; pos: SourcePos }
  | { k: 'bin'; op: string; l: Expr; r: Expr; pos: SourcePos }
  | { k: 'un'; op: '!' | '-' | 'defined' | 'int' | 'str' | 'strlen' | 'strempty'; e: Expr; pos: SourcePos }
  | { k: 'call'; call: CallStmt; pos: SourcePos }
  | { k: 'block'; body: Stmt[]; pos: SourcePos }
  | { k: 'assign'; a: AssignStmt; pos: SourcePos }
  /** core keyword condition: `method == INVITE`, `src_ip == 10.0.0.0/8`, `uri == myself` */
  | { k: 'kw'; key: string; op: string; rhs: KwRhs; pos: SourcePos };

export type KwRhs =
  | { k: 'myself' }
  | { k: 'net'; text: string }
  | { k: 'expr'; e: Expr };

/** A function/action argument as written: literals, bare words, hosts (`1.2.3.4`, `uri:host`). */
export interface Arg {
  readonly k: 'str' | 'num' | 'word' | 'pv';
  /** str: decoded text; num: the number; word: adjacent tokens joined; pv: PV text */
  readonly v: string | number;
  readonly pos: SourcePos;
}

export interface CallStmt {
  readonly k: 'call';
  readonly name: string;
  readonly args: Arg[];
  readonly pos: SourcePos;
  /** compat mode at the call (fixup_var_* look at it) */
  readonly mode: CompatMode;
}

export interface AssignStmt {
  readonly k: 'assign';
  readonly lv: { text: string; mode: CompatMode; pos: SourcePos };
  readonly e: Expr;
  readonly pos: SourcePos;
}

export interface Case {
  /** undefined for `default:` */
  readonly label?: Expr;
  readonly regex: boolean;
  readonly body: Stmt[];
  readonly pos: SourcePos;
  /** written as route[0] (a duplicate of an earlier route{}, unlike a second route{}) */
  readonly numbered?: boolean;
}

export type Stmt =
  | CallStmt
  | AssignStmt
  | { k: 'if'; cond: Expr; then: Stmt[]; else?: Stmt[]; pos: SourcePos }
  | { k: 'while'; cond: Expr; body: Stmt[]; pos: SourcePos }
  | { k: 'switch'; e: Expr; cases: Case[]; pos: SourcePos }
  | { k: 'ret'; kind: 'drop' | 'exit' | 'return' | 'break'; e?: Expr; pos: SourcePos }
  | { k: 'route'; name: string; pos: SourcePos }
  | { k: 'block'; body: Stmt[]; pos: SourcePos };

export type RouteKindName = 'request' | 'failure' | 'onreply' | 'branch' | 'onsend' | 'event';

export interface RouteBlock {
  readonly kind: RouteKindName;
  /** 'main' for the unnamed block (and route[0]) */
  readonly name: string;
  readonly body: Stmt[];
  readonly pos: SourcePos;
  /** written as route[0] (a duplicate of an earlier route{}, unlike a second route{}) */
  readonly numbered?: boolean;
}
