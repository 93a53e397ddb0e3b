/**
 * Scanner for kamailio.cfg. The preprocessor works at scanner level as in Kamailio: `#!` directives,
 * conditionals, defines with values and include_file/import_file are handled while tokens are read,
 * so every token keeps the file:line:column it came from (the included file's, when there).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve, isAbsolute } from 'node:path';
import type { CompatMode } from '../core';
import { ErrorCode, type Diagnostic, type SourcePos } from '../errors';
import type { Token, TokKind } from './token';
import { Defines, type Subst } from './defines';
import { quote } from './quote';

const MAX_INCLUDE_DEPTH = 10;
const MAX_COND_DEPTH = 128;
const MAX_MACRO_DEPTH = 32;

interface Frame {
  readonly file: string;
  readonly text: string;
  i: number;
  line: number;
  col: number;
  /** define expansion: every token gets the position of the expanded name */
  readonly at?: SourcePos;
  readonly define?: string;
}

interface Cond {
  readonly parentActive: boolean;
  taken: boolean;
  inElse: boolean;
  readonly pos: SourcePos;
}

const OPS2 = ['==', '!=', '=~', '!~', '>=', '<=', '||', '&&', '+='];
const OPS1 = '=<>+-*/|&!(){}[];,:.~%^';
const BANG_DIRECTIVE = /^!!(define|trydef|redefine|ifdef|ifndef|else|endif|subst|substdefs|substdef|KAMAILIO|OPENSER|SER|ALL|MAXCOMPAT|include_file|import_file|defenv|defenvs)\b/;
const ID_START = /[A-Za-z_]/;
const ID_CHAR = /[A-Za-z0-9_]/;
const BOOL_WORDS: Record<string, number> = { yes: 1, true: 1, on: 1, enable: 1, no: 0, false: 0, off: 0, disable: 0 };

/** Where PV and select tokens end, as the pv layer reads them (keeps both in agreement). */
export interface TokenBounds {
  pvEnd(text: string, start: number, mode: CompatMode): number;
  selectEnd(text: string, start: number): number;
}

export class Lexer {
  readonly defines: Defines;
  /** set by the loader; without it PV/select tokens end by bracket counting */
  bounds: TokenBounds | null = null;
  mode: CompatMode = 'all';
  private readonly stack: Frame[] = [];
  private readonly conds: Cond[] = [];
  private readonly diags: Diagnostic[];
  private peeked: Token[] = [];
  private spaced = false;

  constructor(file: string, text: string, defines: Defines, diags: Diagnostic[]) {
    this.defines = defines;
    this.diags = diags;
    this.stack.push({ file, text, i: 0, line: 1, col: 1 });
  }

  static fromFile(file: string, defines: Defines, diags: Diagnostic[]): Lexer {
    return new Lexer(file, readFileSync(file, 'utf8'), defines, diags);
  }

  peek(n = 0): Token {
    while (this.peeked.length <= n) this.peeked.push(this.scan());
    return this.peeked[n];
  }

  next(): Token {
    return this.peeked.length > 0 ? this.peeked.shift()! : this.scan();
  }

  error(message: string, pos: SourcePos, code: string = ErrorCode.CONFIG_SYNTAX): void {
    this.diags.push({ code, message, severity: 'error', ...pos });
  }

  private get f(): Frame {
    return this.stack[this.stack.length - 1];
  }

  private pos(): SourcePos {
    const f = this.f;
    return f.at ?? { file: f.file, line: f.line, column: f.col };
  }

  private ch(k = 0): string {
    const f = this.f;
    return f.text.charAt(f.i + k);
  }

  private adv(n = 1): void {
    const f = this.f;
    for (let k = 0; k < n && f.i < f.text.length; k++) {
      if (f.text.charCodeAt(f.i++) === 10) {
        f.line++;
        f.col = 1;
      } else f.col++;
    }
  }

  private active(): boolean {
    const c = this.conds[this.conds.length - 1];
    return c === undefined || (c.parentActive && c.taken);
  }

  private tok(kind: TokKind, text: string, pos: SourcePos, num = 0): Token {
    const t: Token = { kind, text, num, pos, spaced: this.spaced, mode: this.mode };
    this.spaced = false;
    return t;
  }

  private scan(): Token {
    for (;;) {
      const f = this.f;
      if (f.i >= f.text.length) {
        if (this.stack.length === 1) {
          for (const c of this.conds) this.error('missing #!endif', c.pos);
          this.conds.length = 0;
          return this.tok('eof', '', this.pos());
        }
        // an included file ends a token; a define's text joins its neighbours (udp:MY_IP:5060)
        if (this.stack.pop()!.at === undefined) this.spaced = true;
        continue;
      }
      if (!this.active()) {
        this.skipInactiveLine();
        continue;
      }
      const c = this.ch();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\b' || c === '\f') {
        this.adv();
        this.spaced = true;
        continue;
      }
      if (c === '\\' && (this.ch(1) === '\n' || (this.ch(1) === '\r' && this.ch(2) === '\n'))) {
        this.adv(this.ch(1) === '\n' ? 2 : 3);
        this.spaced = true;
        continue;
      }
      if (c === '#') {
        if (this.ch(1) === '!') this.directive();
        else this.skipLine();
        this.spaced = true;
        continue;
      }
      // `!!define` ... is the later spelling of `#!define` (never `!!` negation: a name follows)
      if (c === '!' && this.ch(1) === '!' && BANG_DIRECTIVE.test(this.f.text.slice(this.f.i, this.f.i + 16))) {
        this.directive();
        this.spaced = true;
        continue;
      }
      if (c === '/' && this.ch(1) === '/') {
        this.skipLine();
        this.spaced = true;
        continue;
      }
      if (c === '/' && this.ch(1) === '*') {
        this.blockComment();
        this.spaced = true;
        continue;
      }
      const t = this.token();
      if (t === null) continue;
      return t;
    }
  }

  private skipLine(): void {
    const f = this.f;
    while (f.i < f.text.length && f.text.charCodeAt(f.i) !== 10) this.adv();
  }

  private restOfLine(): string {
    const f = this.f;
    let out = '';
    while (f.i < f.text.length) {
      const c = f.text.charAt(f.i);
      if (c === '\\' && f.text.charAt(f.i + 1) === '\n') {
        this.adv(2);
        out += '\n';
        continue;
      }
      if (c === '\n') break;
      out += c;
      this.adv();
    }
    return out.replace(/\r$/, '');
  }

  private blockComment(): void {
    const start = this.pos();
    const f = this.f;
    let depth = 0;
    while (f.i < f.text.length) {
      if (this.ch() === '/' && this.ch(1) === '*') {
        depth++;
        this.adv(2);
      } else if (this.ch() === '*' && this.ch(1) === '/') {
        depth--;
        this.adv(2);
        if (depth === 0) return;
      } else this.adv();
    }
    this.error('end of file inside a /* comment */', start);
  }

  /** In a false #!ifdef branch only nested conditionals are tracked; everything else is skipped. */
  private skipInactiveLine(): void {
    const f = this.f;
    while (f.i < f.text.length && (this.ch() === ' ' || this.ch() === '\t')) this.adv();
    if ((this.ch() === '#' || this.ch() === '!') && this.ch(1) === '!') {
      const m = /^[#!]!(ifdef|ifndef|ifexp|else|endif)\b/.exec(f.text.slice(f.i, f.i + 10));
      if (m) {
        this.directive();
        return;
      }
    }
    this.skipLine();
    if (f.i < f.text.length) this.adv();
  }

  private directive(): void {
    const pos = this.pos();
    this.adv(2);
    const f = this.f;
    let name = '';
    while (f.i < f.text.length && /[A-Za-z_]/.test(this.ch())) {
      name += this.ch();
      this.adv();
    }
    // conditionals take only their name: code after them on the same line is still read
    let arg: string;
    if (name === 'else' || name === 'endif') arg = '';
    else if (name === 'ifdef' || name === 'ifndef') {
      while (this.ch() === ' ' || this.ch() === '\t') this.adv();
      arg = this.word();
    } else arg = this.restOfLine().trim();
    const active = this.active();
    switch (name) {
      case 'ifdef':
      case 'ifndef': {
        if (this.conds.length >= MAX_COND_DEPTH) this.error('too many nested #!ifdef', pos);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) this.error(`#!${name} needs one name`, pos);
        const known = this.defines.has(arg);
        this.conds.push({ parentActive: active, taken: name === 'ifdef' ? known : !known, inElse: false, pos });
        return;
      }
      case 'else': {
        const c = this.conds[this.conds.length - 1];
        if (!c || c.inElse) this.error('#!else without #!ifdef', pos);
        else {
          c.taken = !c.taken;
          c.inElse = true;
        }
        return;
      }
      case 'endif':
        if (this.conds.pop() === undefined) this.error('#!endif without #!ifdef', pos);
        return;
    }
    if (!active) return;
    if (/^(KAMAILIO|OPENSER|SER|ALL|MAXCOMPAT)$/.test(name) && arg !== '') this.error(`#!${name} must be alone on its line`, pos);
    switch (name) {
      case 'KAMAILIO':
      case 'OPENSER':
        this.mode = 'kamailio';
        break;
      case 'SER':
        this.mode = 'ser';
        break;
      case 'ALL':
      case 'MAXCOMPAT':
        this.mode = 'all';
        break;
      case 'define':
      case 'trydef':
      case 'redefine': {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+([\s\S]*))?$/.exec(arg);
        if (!m) {
          this.error(`bad #!${name} line`, pos);
          break;
        }
        const value = m[2] === undefined ? true : m[2].trim();
        if (name === 'trydef') {
          if (!this.defines.has(m[1])) this.defines.set(m[1], value);
        } else if (name === 'define' && this.defines.has(m[1])) this.error(`redefinition of '${m[1]}'`, pos);
        else this.defines.set(m[1], value);
        break;
      }
      case 'subst':
      case 'substdef':
      case 'substdefs': {
        const s = parseSubst(arg);
        if (typeof s === 'string') this.error(`bad #!${name}: ${s}`, pos);
        else {
          this.defines.substs.push(s);
          if (name === 'substdef') this.defines.set(s.source, s.replacement);
          if (name === 'substdefs') this.defines.set(s.source, quote(s.replacement));
        }
        break;
      }
      case 'defenv':
      case 'defenvs': {
        // `ID=ENVVAR` or `ENVVAR`: ID gets the variable's value (a string literal for defenvs)
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=([A-Za-z_][A-Za-z0-9_]*))?$/.exec(arg);
        if (!m) {
          this.error(`bad #!${name} line`, pos);
          break;
        }
        const v = process.env[m[2] ?? m[1]];
        if (v !== undefined) this.defines.set(m[1], name === 'defenvs' ? quote(v) : v);
        break;
      }
      case 'include_file':
      case 'import_file': {
        const m = /^"([^"]+)"\s*;?$/.exec(arg);
        if (!m) this.error(`#!${name} needs a file name in double quotes`, pos, ErrorCode.CONFIG_INCLUDE);
        else this.pushFile(m[1], name === 'import_file', pos, pos);
        break;
      }
      default:
        this.error(`unknown preprocessor directive #!${name}`, pos);
    }
  }

  private token(): Token | null {
    const pos = this.pos();
    const c = this.ch();
    if (c === '"' || c === "'") return this.tok('str', this.string(), pos);
    if (c >= '0' && c <= '9') return this.number(pos);
    if (ID_START.test(c)) {
      const id = this.word();
      if (id === 'include_file' || id === 'import_file') {
        this.include(id === 'import_file', pos);
        return null;
      }
      if (id in BOOL_WORDS) return this.tok('num', id, pos, BOOL_WORDS[id]);
      const def = this.defines.get(id);
      if (typeof def === 'string' && this.f.define !== id) {
        if (this.stack.filter((s) => s.at).length >= MAX_MACRO_DEPTH) {
          this.error(`define '${id}' expands recursively`, pos);
          return null;
        }
        this.stack.push({ file: this.f.file, text: def, i: 0, line: pos.line, col: pos.column, at: pos, define: id });
        return null;
      }
      return this.tok('id', id, pos);
    }
    if (c === '$') return this.tok('pv', this.pvar(), pos);
    if (c === '@' && ID_START.test(this.ch(1))) return this.tok('sel', this.select(), pos);
    const two = c + this.ch(1);
    if (OPS2.includes(two)) {
      this.adv(2);
      return this.tok('op', two, pos);
    }
    if (OPS1.includes(c)) {
      this.adv();
      return this.tok('op', c, pos);
    }
    this.error(`unexpected character '${c}'`, pos);
    this.adv();
    return null;
  }

  private word(): string {
    const f = this.f;
    const s = f.i;
    while (f.i < f.text.length && ID_CHAR.test(f.text.charAt(f.i))) this.adv();
    return f.text.slice(s, f.i);
  }

  private number(pos: SourcePos): Token {
    const w = this.word();
    const n = parseNumber(w);
    // digits-first names such as `2xx` or `08` are legal only in host names
    if (n === null) return this.tok('id', w, pos);
    return this.tok('num', w, pos, n);
  }

  private string(): string {
    let out = '';
    for (;;) {
      const q = this.ch();
      const start = this.pos();
      this.adv();
      if (q === "'") {
        const f = this.f;
        const s = f.i;
        while (f.i < f.text.length && this.ch() !== "'") this.adv();
        if (f.i >= f.text.length) {
          this.error('unterminated string', start);
          return out + f.text.slice(s);
        }
        out += f.text.slice(s, f.i);
        this.adv();
        return out;
      }
      out += this.dquoted(start);
      // adjacent double-quoted strings are one string
      const f = this.f;
      let k = f.i;
      while (k < f.text.length && /[ \t\r\n]/.test(f.text.charAt(k))) k++;
      if (f.text.charAt(k) !== '"') return this.defines.applySubst(out);
      this.adv(k - f.i);
    }
  }

  private dquoted(start: SourcePos): string {
    const f = this.f;
    let out = '';
    while (f.i < f.text.length) {
      const c = this.ch();
      if (c === '"') {
        this.adv();
        return out;
      }
      if (c !== '\\') {
        out += c;
        this.adv();
        continue;
      }
      const e = this.ch(1);
      if (e === '\n') {
        this.adv(2);
        continue;
      }
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', '"': '"', '\\': '\\' };
      if (e in simple) {
        out += simple[e];
        this.adv(2);
        continue;
      }
      if (e === 'x' && /[0-9a-fA-F]/.test(this.ch(2))) {
        const hex = /[0-9a-fA-F]/.test(this.ch(3)) ? this.ch(2) + this.ch(3) : this.ch(2);
        out += String.fromCharCode(parseInt(hex, 16));
        this.adv(2 + hex.length);
        continue;
      }
      const oct = /^[0-7]{2,3}/.exec(f.text.slice(f.i + 1, f.i + 4));
      if (oct) {
        out += String.fromCharCode(parseInt(oct[0], 8) & 0xff);
        this.adv(1 + oct[0].length);
        continue;
      }
      // unknown escapes stay as written so regexes keep `\.` and `\1`
      out += '\\' + e;
      this.adv(2);
    }
    this.error('unterminated string', start);
    return out;
  }

  /** `$name`, `$name(inner)[idx]`, `$(...)`, `$f.name`, `$?` — the PV layer parses the text. */
  private pvar(): string {
    const f = this.f;
    const s = f.i;
    const end = this.boundEnd((b) => b.pvEnd(f.text, s, this.mode));
    if (end > 0) return f.text.slice(s, end);
    this.adv();
    if (this.ch() === '?') {
      this.adv();
      return '$?';
    }
    if (this.ch() === '(' || this.ch() === '{') this.balanced();
    else {
      this.word();
      while (this.ch() === '.' && ID_START.test(this.ch(1))) {
        this.adv();
        this.word();
      }
      if (this.ch() === '(') this.balanced();
    }
    while (this.ch() === '[') this.balanced();
    return f.text.slice(s, f.i);
  }

  private balanced(): void {
    const f = this.f;
    const open = this.ch();
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    const start = this.pos();
    let depth = 0;
    while (f.i < f.text.length) {
      const c = this.ch();
      if (c === '\n') break;
      if (c === open) depth++;
      else if (c === close && --depth === 0) {
        this.adv();
        return;
      }
      this.adv();
    }
    this.error(`missing '${close}'`, start);
  }

  /** Advance to the end the pv layer reports; 0 when it cannot say (its parser reports the error later). */
  private boundEnd(get: (b: TokenBounds) => number): number {
    const b = this.bounds;
    if (b === null) return 0;
    const f = this.f;
    let end: number;
    try {
      end = get(b);
    } catch {
      return 0;
    }
    if (end <= f.i + 1 || end > f.text.length) return 0;
    this.adv(end - f.i);
    return end;
  }

  private select(): string {
    const f = this.f;
    const s = f.i;
    const end = this.boundEnd((b) => b.selectEnd(f.text, s));
    if (end > 0) return f.text.slice(s, end);
    this.adv();
    for (;;) {
      this.word();
      while (this.ch() === '[') this.balanced();
      if (this.ch() === '.' && ID_START.test(this.ch(1))) this.adv();
      else break;
    }
    return f.text.slice(s, f.i);
  }

  private include(optional: boolean, pos: SourcePos): void {
    // scan(), not next(): tokens already looked ahead precede the include
    const t = this.scan();
    if (t.kind !== 'str') {
      this.error('include_file needs a file name in double quotes', t.pos, ErrorCode.CONFIG_INCLUDE);
      return;
    }
    this.pushFile(t.text, optional, t.pos, pos);
  }

  /** Continue reading in `name` (relative: to the working directory, then to the including file). */
  private pushFile(name: string, optional: boolean, at: SourcePos, pos: SourcePos): void {
    const from = this.f.file;
    const candidates = isAbsolute(name) ? [name] : [resolve(name), resolve(dirname(from), name)];
    const file = candidates.find((p) => existsSync(p));
    if (file === undefined) {
      if (!optional) this.error(`cannot open included file "${name}"`, at, ErrorCode.CONFIG_INCLUDE);
      return;
    }
    if (this.stack.some((fr) => !fr.at && resolve(fr.file) === file)) {
      this.error(`include loop: "${name}" is already being read`, at, ErrorCode.CONFIG_INCLUDE);
      return;
    }
    if (this.stack.filter((fr) => !fr.at).length >= MAX_INCLUDE_DEPTH) {
      this.error('include depth exceeds 10', pos, ErrorCode.CONFIG_INCLUDE);
      return;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      this.error(`cannot read included file "${name}": ${(e as Error).message}`, at, ErrorCode.CONFIG_INCLUDE);
      return;
    }
    this.stack.push({ file, text, i: 0, line: 1, col: 1 });
    this.spaced = true;
  }
}

/** Kamailio's number forms: decimal, 0x hex, 0-prefixed octal, [01]+b binary; null if not a number. */
export function parseNumber(w: string): number | null {
  if (/^(0|[1-9][0-9]*)$/.test(w)) return Number(w) | 0;
  if (/^0[xX][0-9a-fA-F]+$/.test(w)) return parseInt(w.slice(2), 16) | 0;
  if (/^0[0-7]+$/.test(w)) return parseInt(w.slice(1), 8) | 0;
  if (/^[01]+b$/.test(w)) return parseInt(w.slice(0, -1), 2) | 0;
  return null;
}

/** `/re/replacement/flags` with any delimiter. */
function parseSubst(arg: string): Subst | string {
  let s = arg;
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  if (s.length < 3) return 'expected "/regex/replacement/flags"';
  const d = s[0];
  const parts: string[] = [''];
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === d) {
      parts[parts.length - 1] += d;
      i++;
    } else if (s[i] === d) parts.push('');
    else parts[parts.length - 1] += s[i];
  }
  if (parts.length !== 3) return 'expected "/regex/replacement/flags"';
  try {
    const flags = parts[2];
    const re = new RegExp(parts[0], (flags.includes('g') ? 'g' : '') + (flags.includes('i') ? 'i' : ''));
    return { re, source: parts[0], replacement: parts[1].replace(/\\([0-9])/g, '$$$1') };
  } catch (e) {
    return (e as Error).message;
  }
}
