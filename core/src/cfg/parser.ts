/**
 * Recursive-descent parser for the config language (grammar and precedence of cfg-language.md
 * §4-§6). Top-level statements with side effects (loadmodule, modparam, flags, global params) are
 * handed to a TopHandler as they are read, so later lines see their effect, as in Kamailio.
 */
import type { SourcePos } from '../errors';
import type { CompatMode } from '../core';
import type { Lexer } from './lexer';
import type { Token } from './token';
import type { Arg, AssignStmt, CallStmt, Case, Expr, KwRhs, RouteBlock, RouteKindName, Stmt } from './ast';

/** One space-separated item of a global parameter value (adjacent tokens joined). */
export interface ParamItem {
  readonly text: string;
  /** set when the item is a single number (possibly negative) */
  readonly num?: number;
  readonly quoted: boolean;
  readonly pos: SourcePos;
}

export interface FlagDecl {
  readonly name: string;
  readonly bit?: number;
  readonly pos: SourcePos;
}

export interface TopHandler {
  /** the compat mode in force at the statement about to be applied */
  mode(mode: CompatMode): void;
  global(name: string, items: ParamItem[], pos: SourcePos): void;
  cfgVar(group: string, name: string, value: string | number, desc: string, pos: SourcePos): void;
  flags(decls: FlagDecl[]): void;
  avpflags(decls: FlagDecl[]): void;
  loadpath(path: string, pos: SourcePos): void;
  loadmodule(spec: string, pos: SourcePos): void;
  modparam(module: string, param: string, value: string | number, pos: SourcePos): void;
}

class Abort extends Error {}
/** Nesting too deep to go on: the rest of the file is not parsed. */
class Fatal extends Error {}

/** Deeper blocks or expressions are refused (recursion must not exhaust the stack). */
const MAX_NESTING = 100;
/** Operators in one chain (`a || b || ...`): the tree is left-deep, compiled recursively. */
const MAX_CHAIN = 1000;

const ROUTE_KINDS: Record<string, RouteKindName> = {
  route: 'request',
  request_route: 'request',
  failure_route: 'failure',
  onreply_route: 'onreply',
  reply_route: 'onreply',
  branch_route: 'branch',
  onsend_route: 'onsend',
  event_route: 'event',
};

/** Keywords usable as `KEY op value` conditions. */
export const KEYWORDS = new Set([
  'method', 'uri', 'status', 'from_uri', 'to_uri', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'proto', 'af',
  'msg:len', 'snd_ip', 'snd_port', 'snd_proto', 'snd_af', 'to_ip', 'to_port',
]);
const IP_KEYS = new Set(['src_ip', 'dst_ip', 'snd_ip', 'to_ip']);
const CMP_OPS = new Set(['==', '!=', '=~', '!~', '>', '<', '>=', '<=', 'eq', 'ne', 'ieq', 'ine']);
const WORD_OPS: Record<string, string> = { or: '||', and: '&&', mod: 'mod', not: '!', eq: 'eq', ne: 'ne', ieq: 'ieq', ine: 'ine' };

const LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['&'],
  ['==', '!=', '=~', '!~', 'eq', 'ne', 'ieq', 'ine'],
  ['>', '<', '>=', '<='],
  ['+', '-'],
  ['*', '/', 'mod'],
];

export class Parser {
  readonly routes: RouteBlock[] = [];
  private depth = 0;

  constructor(private readonly lx: Lexer, private readonly top: TopHandler) {}

  parse(): RouteBlock[] {
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof') break;
      try {
        this.topStmt();
      } catch (e) {
        if (e instanceof Fatal) break;
        if (!(e instanceof Abort)) throw e;
        this.syncTop();
      }
    }
    return this.routes;
  }

  /** Run f one nesting level deeper. */
  private nested<T>(pos: SourcePos, f: () => T): T {
    if (this.depth >= MAX_NESTING) {
      this.lx.error(`blocks or expressions nested deeper than ${MAX_NESTING} levels`, pos);
      throw new Fatal();
    }
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private fail(msg: string, pos: SourcePos): never {
    this.lx.error(msg, pos);
    throw new Abort(msg);
  }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.text === op;
  }

  private expectOp(op: string): Token {
    const t = this.lx.next();
    if (!this.isOp(t, op)) this.fail(`expected '${op}' but found ${describe(t)}`, t.pos);
    return t;
  }

  private acceptOp(op: string): boolean {
    if (this.isOp(this.lx.peek(), op)) {
      this.lx.next();
      return true;
    }
    return false;
  }

  private expectStr(what: string): Token {
    const t = this.lx.next();
    if (t.kind !== 'str') this.fail(`${what} must be a string in quotes, found ${describe(t)}`, t.pos);
    return t;
  }

  /** Skip to the end of the current top-level statement after an error. */
  private syncTop(): void {
    let depth = 0;
    const startLine = this.lx.peek().pos.line;
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof') return;
      if (depth === 0 && t.pos.line !== startLine && t.kind === 'id' && isTopStart(t.text)) return;
      this.lx.next();
      if (this.isOp(t, '{')) depth++;
      else if (this.isOp(t, '}')) {
        if (--depth <= 0) return;
      } else if (depth === 0 && this.isOp(t, ';')) return;
    }
  }

  /** Skip to after the current statement inside a block. */
  private syncStmt(): void {
    let depth = 0;
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof') return;
      if (depth === 0 && this.isOp(t, '}')) return;
      this.lx.next();
      if (this.isOp(t, '{')) depth++;
      else if (this.isOp(t, '}')) {
        if (--depth === 0) return;
      } else if (depth === 0 && this.isOp(t, ';')) return;
    }
  }

  /** Adjacent tokens (no whitespace between) glued into one word: hosts, IPs, `udp:1.2.3.4:5060`. */
  private glued(first: Token, stop: (t: Token) => boolean): string {
    let text = rawText(first);
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof' || t.spaced || stop(t)) return text;
      this.lx.next();
      text += rawText(t);
    }
  }

  // ---- top level -----------------------------------------------------------------------------

  private topStmt(): void {
    const t = this.lx.next();
    if (this.isOp(t, ';')) return;
    this.top.mode(t.mode);
    if (t.kind !== 'id') this.fail(`unexpected ${describe(t)} at top level`, t.pos);
    const kind = ROUTE_KINDS[t.text];
    if (kind) return this.routeBlock(kind, t);
    switch (t.text) {
      case 'loadmodule':
        return this.top.loadmodule(this.expectStr('loadmodule argument').text, t.pos);
      case 'loadpath':
      case 'mpath':
        this.acceptOp('=');
        return this.top.loadpath(this.expectStr('loadpath').text, t.pos);
      case 'modparam':
        return this.modparam(t);
      case 'flags':
      case 'bool':
        return this.top.flags(this.flagList());
      case 'avpflags':
        return this.top.avpflags(this.flagList());
    }
    const n = this.lx.peek();
    if (this.isOp(n, '.') && !n.spaced) return this.cfgVar(t);
    if (!this.isOp(n, '=')) this.fail(`unexpected '${t.text}' at top level (expected 'name = value', route block or module statement)`, t.pos);
    this.lx.next();
    this.top.global(t.text, this.paramItems(n), t.pos);
  }

  /** Value items of `name = v1 v2 ...`: the rest of the line (an optional ';' ends it). */
  private paramItems(eq: Token): ParamItem[] {
    const items: ParamItem[] = [];
    const first = this.lx.peek();
    if (first.kind === 'eof' || first.pos.line !== eq.pos.line) this.fail('missing value after =', eq.pos);
    const line = first.pos.line;
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof' || t.pos.line !== line || t.pos.file !== eq.pos.file) break;
      // `name=value` on the same line starts the next parameter
      if (t.kind === 'id' && this.isOp(this.lx.peek(1), '=')) break;
      this.lx.next();
      if (this.isOp(t, ';')) break;
      if (t.kind === 'str') {
        items.push({ text: t.text, quoted: true, pos: t.pos });
        continue;
      }
      if (this.isOp(t, '-') && this.lx.peek().kind === 'num' && !this.lx.peek().spaced) {
        const n = this.lx.next();
        items.push({ text: '-' + n.text, num: -n.num, quoted: false, pos: t.pos });
        continue;
      }
      const start = this.lx.peek();
      const text = this.glued(t, (x) => this.isOp(x, ';'));
      const single = start === this.lx.peek() && t.kind === 'num';
      items.push({ text, num: single ? t.num : undefined, quoted: false, pos: t.pos });
    }
    return items;
  }

  private cfgVar(group: Token): void {
    this.expectOp('.');
    const name = this.lx.next();
    if (name.kind !== 'id') this.fail(`bad cfg variable name ${describe(name)}`, name.pos);
    this.expectOp('=');
    const v = this.lx.next();
    let value: string | number;
    if (v.kind === 'num') value = v.num;
    else if (v.kind === 'str') value = v.text;
    else this.fail('a cfg variable takes a non-negative number or a string', v.pos);
    let desc = '';
    const d = this.lx.peek();
    if (d.kind === 'id' && (d.text === 'description' || d.text === 'descr' || d.text === 'desc')) {
      this.lx.next();
      desc = this.expectStr('description').text;
    }
    this.top.cfgVar(group.text, name.text, value, desc, group.pos);
  }

  private flagList(): FlagDecl[] {
    const out: FlagDecl[] = [];
    do {
      const t = this.lx.next();
      if (t.kind !== 'id' && t.kind !== 'str') this.fail(`expected a flag name, found ${describe(t)}`, t.pos);
      let bit: number | undefined;
      if (this.acceptOp(':')) {
        const n = this.lx.next();
        if (n.kind !== 'num') this.fail('flag number expected after :', n.pos);
        bit = n.num;
      }
      out.push({ name: t.text, bit, pos: t.pos });
    } while (this.acceptOp(','));
    this.acceptOp(';');
    return out;
  }

  private modparam(t: Token): void {
    this.expectOp('(');
    const mod = this.expectStr('modparam module').text;
    this.expectOp(',');
    const name = this.expectStr('modparam name').text;
    this.expectOp(',');
    let v = this.lx.next();
    let neg = false;
    if (this.isOp(v, '-')) {
      neg = true;
      v = this.lx.next();
    }
    let value: string | number;
    if (v.kind === 'num') value = neg ? -v.num : v.num;
    else if (v.kind === 'str' && !neg) value = v.text;
    else this.fail(`modparam value must be a string or a number, found ${describe(v)}`, v.pos);
    this.expectOp(')');
    this.acceptOp(';');
    this.top.modparam(mod, name, value, t.pos);
  }

  private routeBlock(kind: RouteKindName, t: Token): void {
    let name = 'main';
    let numbered = false;
    if (this.acceptOp('[')) {
      const n = this.lx.next();
      if (n.kind === 'eof' || this.isOp(n, ']')) this.fail('missing route name', n.pos);
      name = kind === 'event' ? this.glued(n, (x) => this.isOp(x, ']')) : n.kind === 'num' ? String(n.num) : n.text;
      if (kind === 'event' && !/^[A-Za-z][A-Za-z0-9-]*:[A-Za-z][A-Za-z0-9-]*$/.test(name)) {
        this.fail(`bad event route name '${name}' (expected module:event)`, n.pos);
      }
      this.expectOp(']');
      if (kind === 'request' && name === '0') {
        name = 'main';
        numbered = true;
      }
    } else if (kind === 'event') this.fail('event_route needs a [module:event] name', t.pos);
    const open = this.expectOp('{');
    const body = this.stmtsUntilClose(open);
    this.routes.push({ kind, name, body, pos: t.pos, numbered });
  }

  // ---- statements ----------------------------------------------------------------------------

  private stmtsUntilClose(open: Token): Stmt[] {
    return this.nested(open.pos, () => this.stmtsUntilCloseIn(open));
  }

  private stmtsUntilCloseIn(open: Token): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof') this.fail(`missing '}' for the '{' at line ${open.pos.line}`, open.pos);
      if (this.isOp(t, '}')) {
        this.lx.next();
        return out;
      }
      try {
        const s = this.stmt();
        if (s) out.push(s);
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
        this.syncStmt();
      }
    }
  }

  /** One action or `{ actions }` (if/while bodies). */
  private block(): Stmt[] {
    return this.nested(this.lx.peek().pos, () => this.blockIn());
  }

  private blockIn(): Stmt[] {
    const t = this.lx.peek();
    if (this.isOp(t, '{')) {
      this.lx.next();
      return this.stmtsUntilClose(t);
    }
    const s = this.stmt();
    return s ? [s] : [];
  }

  private stmt(): Stmt | null {
    const t = this.lx.next();
    if (this.isOp(t, ';')) return null;
    if (this.isOp(t, '{')) return { k: 'block', body: this.stmtsUntilClose(t), pos: t.pos };
    if (t.kind === 'pv') {
      const a = this.assignRest(t);
      this.expectOp(';');
      return a;
    }
    if (t.kind !== 'id') this.fail(`unexpected ${describe(t)}`, t.pos);
    switch (t.text) {
      case 'if': {
        const cond = this.expr();
        const then = this.block();
        let els: Stmt[] | undefined;
        const e = this.lx.peek();
        if (e.kind === 'id' && e.text === 'else') {
          this.lx.next();
          els = this.block();
        }
        return { k: 'if', cond, then, else: els, pos: t.pos };
      }
      case 'while': {
        const cond = this.expr();
        return { k: 'while', cond, body: this.block(), pos: t.pos };
      }
      case 'switch':
        return this.switchStmt(t);
      case 'drop':
      case 'exit':
      case 'return':
      case 'break': {
        let e: Expr | undefined;
        const n = this.lx.peek();
        if (t.text !== 'break' && !this.isOp(n, ';') && !this.isOp(n, '}')) {
          if (this.isOp(n, '(') && this.isOp(this.lx.peek(1), ')')) {
            this.lx.next();
            this.lx.next();
          } else e = this.expr();
        }
        this.endStmt();
        return { k: 'ret', kind: t.text, e, pos: t.pos };
      }
    }
    const s = this.callRest(t);
    this.endStmt();
    return s;
  }

  /** `;` ends an action; Kamailio also accepts a missing one right before `}`. */
  private endStmt(): void {
    if (this.isOp(this.lx.peek(), '}')) return;
    this.expectOp(';');
  }

  private assignRest(pv: Token): AssignStmt {
    const eq = this.lx.next();
    if (this.isOp(eq, '+=')) this.fail("'+=' is not supported; write '$x = $x + value'", eq.pos);
    if (!this.isOp(eq, '=')) this.fail(`expected '=' after ${pv.text}, found ${describe(eq)}`, eq.pos);
    return { k: 'assign', lv: { text: pv.text, mode: pv.mode, pos: pv.pos }, e: this.expr(), pos: pv.pos };
  }

  private switchStmt(t: Token): Stmt {
    const e = this.expr();
    const open = this.expectOp('{');
    const cases: Case[] = [];
    for (;;) {
      const c = this.lx.next();
      if (this.isOp(c, '}')) break;
      if (c.kind === 'eof') this.fail(`missing '}' for the switch at line ${open.pos.line}`, open.pos);
      let label: Expr | undefined;
      let regex = false;
      if (c.kind === 'id' && c.text === 'case') {
        regex = this.acceptOp('/');
        label = this.expr();
      } else if (!(c.kind === 'id' && c.text === 'default')) this.fail(`expected 'case' or 'default', found ${describe(c)}`, c.pos);
      this.expectOp(':');
      const body: Stmt[] = [];
      for (;;) {
        const n = this.lx.peek();
        if (this.isOp(n, '}') || (n.kind === 'id' && (n.text === 'case' || n.text === 'default'))) break;
        if (n.kind === 'eof') this.fail(`missing '}' for the switch at line ${open.pos.line}`, open.pos);
        try {
          const s = this.stmt();
          if (s) body.push(s);
        } catch (err) {
          if (!(err instanceof Abort)) throw err;
          this.syncStmt();
        }
      }
      cases.push({ label, regex, body, pos: c.pos });
    }
    return { k: 'switch', e, cases, pos: t.pos };
  }

  private callRest(name: Token): Stmt {
    if (!this.isOp(this.lx.peek(), '(')) this.fail(`unexpected '${name.text}' (a function call needs parentheses)`, name.pos);
    this.lx.next();
    if (name.text === 'route') {
      const n = this.lx.next();
      if (n.kind !== 'id' && n.kind !== 'num' && n.kind !== 'str') this.fail(`bad route name ${describe(n)}`, n.pos);
      this.expectOp(')');
      const rn = n.kind === 'num' ? String(n.num) : n.text;
      return { k: 'route', name: rn === '0' ? 'main' : rn, pos: name.pos };
    }
    const args: Arg[] = [];
    if (!this.acceptOp(')')) {
      for (;;) {
        args.push(this.arg());
        const sep = this.lx.next();
        if (this.isOp(sep, ')')) break;
        if (!this.isOp(sep, ',')) this.fail(`expected ',' or ')' in the arguments of ${name.text}(), found ${describe(sep)}`, sep.pos);
      }
    }
    return { k: 'call', name: name.text, args, pos: name.pos, mode: name.mode };
  }

  private arg(): Arg {
    const t = this.lx.next();
    const stop = (x: Token) => this.isOp(x, ',') || this.isOp(x, ')');
    if (stop(t) || t.kind === 'eof') this.fail(`missing argument, found ${describe(t)}`, t.pos);
    const n = this.lx.peek();
    const alone = stop(n) || n.kind === 'eof';
    if (alone && t.kind === 'str') return { k: 'str', v: t.text, pos: t.pos };
    if (alone && t.kind === 'num') return { k: 'num', v: t.num, pos: t.pos };
    if (alone && t.kind === 'pv') return { k: 'pv', v: t.text, pos: t.pos };
    if (this.isOp(t, '-') && n.kind === 'num' && (stop(this.lx.peek(1)) || this.lx.peek(1).kind === 'eof')) {
      this.lx.next();
      return { k: 'num', v: -n.num, pos: t.pos };
    }
    let text = rawText(t);
    for (;;) {
      const x = this.lx.peek();
      if (x.kind === 'eof' || stop(x)) break;
      this.lx.next();
      text += rawText(x);
    }
    return { k: 'word', v: text, pos: t.pos };
  }

  // ---- expressions ---------------------------------------------------------------------------

  expr(): Expr {
    return this.binary(0);
  }

  private opOf(t: Token): string | undefined {
    if (t.kind === 'op') return t.text;
    if (t.kind === 'id') return WORD_OPS[t.text];
    return undefined;
  }

  private binary(level: number): Expr {
    if (level >= LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    // a chain `a + b + c ...` builds a left-deep tree: its length counts as nesting too
    for (let chain = 0; ; chain++) {
      const t = this.lx.peek();
      const op = this.opOf(t);
      if (op === undefined || !LEVELS[level].includes(op)) return l;
      if (chain >= MAX_CHAIN) {
        this.lx.error(`expression longer than ${MAX_CHAIN} operators`, t.pos);
        throw new Fatal();
      }
      this.lx.next();
      const r = this.binary(level + 1);
      l = { k: 'bin', op, l, r, pos: t.pos };
    }
  }

  private unary(): Expr {
    return this.nested(this.lx.peek().pos, () => this.unaryIn());
  }

  private unaryIn(): Expr {
    const t = this.lx.peek();
    const op = this.opOf(t);
    if (op === '!' || (op === '-' && t.kind === 'op')) {
      this.lx.next();
      return { k: 'un', op, e: this.unary(), pos: t.pos };
    }
    if (t.kind === 'id' && t.text === 'defined') {
      this.lx.next();
      return { k: 'un', op: 'defined', e: this.unary(), pos: t.pos };
    }
    if (this.isOp(t, '(')) {
      const c = this.lx.peek(1);
      if (c.kind === 'id' && (c.text === 'int' || c.text === 'str') && this.isOp(this.lx.peek(2), ')')) {
        this.lx.next();
        this.lx.next();
        this.lx.next();
        return { k: 'un', op: c.text, e: this.unary(), pos: t.pos };
      }
    }
    return this.primary();
  }

  private primary(): Expr {
    const p = this.lx.peek();
    // leave statement ends to error recovery
    if (this.isOp(p, ';') || this.isOp(p, '}')) this.fail(`unexpected '${p.text}' in an expression`, p.pos);
    const t = this.lx.next();
    switch (t.kind) {
      case 'num':
        return { k: 'num', v: t.num, pos: t.pos };
      case 'str':
        return { k: 'str', v: t.text, pos: t.pos };
      case 'pv':
        return { k: 'pv', text: t.text, mode: t.mode, pos: t.pos };
      case 'sel':
        return { k: 'sel', text: t.text, pos: t.pos };
      case 'eof':
        this.fail('unexpected end of file in an expression', t.pos);
    }
    if (this.isOp(t, '(')) {
      if (this.lx.peek().kind === 'pv' && this.isOp(this.lx.peek(1), '=')) {
        const a = this.assignRest(this.lx.next());
        this.expectOp(')');
        return { k: 'assign', a, pos: t.pos };
      }
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (this.isOp(t, '{')) return { k: 'block', body: this.stmtsUntilClose(t), pos: t.pos };
    if (t.kind !== 'id') this.fail(`unexpected ${describe(t)} in an expression`, t.pos);
    if ((t.text === 'strlen' || t.text === 'strempty') && this.isOp(this.lx.peek(), '(')) {
      this.lx.next();
      const e = this.expr();
      this.expectOp(')');
      return { k: 'un', op: t.text, e, pos: t.pos };
    }
    let key = t.text;
    if (key === 'msg' && this.isOp(this.lx.peek(), ':') && !this.lx.peek().spaced) {
      const len = this.lx.peek(1);
      if (len.kind === 'id' && len.text === 'len' && !len.spaced) {
        this.lx.next();
        this.lx.next();
        key = 'msg:len';
      }
    }
    if (KEYWORDS.has(key)) return this.keyword(key, t.pos);
    if (key === 'myself') {
      const op = this.lx.next();
      if (!this.isOp(op, '==') && !this.isOp(op, '!=')) this.fail("'myself' must be compared with == or !=", op.pos);
      const k = this.lx.next();
      if (k.kind !== 'id' || !['uri', 'from_uri', 'to_uri', 'src_ip', 'dst_ip', 'status'].includes(k.text)) {
        this.fail(`'myself ${op.text}' needs uri, from_uri, to_uri, src_ip or dst_ip`, k.pos);
      }
      return { k: 'kw', key: k.text, op: op.text, rhs: { k: 'myself' }, pos: t.pos };
    }
    if (this.isOp(this.lx.peek(), '(')) {
      const s = this.callRest(t);
      if (s.k === 'route') return { k: 'block', body: [s], pos: t.pos };
      return { k: 'call', call: s as CallStmt, pos: t.pos };
    }
    this.fail(`unexpected '${t.text}' in an expression`, t.pos);
  }

  private keyword(key: string, pos: SourcePos): Expr {
    const opTok = this.lx.next();
    const op = this.opOf(opTok);
    if (op === undefined || !CMP_OPS.has(op)) this.fail(`'${key}' must be followed by a comparison operator`, opTok.pos);
    const r = this.lx.peek();
    let rhs: KwRhs;
    if (r.kind === 'id' && r.text === 'myself') {
      this.lx.next();
      rhs = { k: 'myself' };
    } else if (IP_KEYS.has(key) && (r.kind === 'num' || r.kind === 'id' || this.isOp(r, ':') || this.isOp(r, '[')) && op !== '=~' && op !== '!~') {
      this.lx.next();
      const addrPart = (x: Token) => x.kind === 'num' || x.kind === 'id' || (x.kind === 'op' && '.:/-[]'.includes(x.text));
      let text = this.glued(r, (x) => !addrPart(x));
      // an IPv4 written with octal-looking labels (010.0.0.1) means what Kamailio's grammar makes of it
      text = text.replace(/(^|[./])(\d+)(?=$|[./])/g, (_m, p: string, d: string) => p + String(parseNumberLabel(d)));
      rhs = { k: 'net', text };
    } else if (r.kind === 'id' && !this.isOp(this.lx.peek(1), '(')) {
      this.lx.next();
      rhs = { k: 'expr', e: { k: 'str', v: r.text, pos: r.pos } };
    } else rhs = { k: 'expr', e: this.binary(6) };
    return { k: 'kw', key, op, rhs, pos };
  }
}

function parseNumberLabel(d: string): number {
  if (/^0[0-7]+$/.test(d)) return parseInt(d, 8);
  return parseInt(d, 10);
}

function rawText(t: Token): string {
  return t.text;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'str') return `string "${t.text}"`;
  return `'${t.text}'`;
}

function isTopStart(id: string): boolean {
  return id in ROUTE_KINDS || id === 'loadmodule' || id === 'modparam' || id === 'loadpath' || id === 'flags';
}

