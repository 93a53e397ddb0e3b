/**
 * sed-like substitutions, `/re/replacement/flags` with any delimiter, as Kamailio's subst_parser:
 * newline-sensitive by default ('.' stops at line ends, ^/$ match per line); flags i (ignore
 * case), g (every match), s (not newline-sensitive: '.' matches CRLF, ^ only at the start). The
 * replacement may use \0..\9 for groups, \u for the current R-URI, \n \r \t, and
 * pseudo-variables, which are printed per message.
 */
import type { Core, PvFormat, RunCtx } from '@sipr/core';
import { pvApi } from '@sipr/compat';
import { compileRegex } from './text';

/** literal, group number, the R-URI, or a format */
type Part = string | number | typeof RURI | PvFormat;

const RURI = Symbol('ruri');

export interface Subst {
  readonly orig: string;
  readonly re: RegExp;
  readonly global: boolean;
  readonly parts: readonly Part[];
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** Split on the unescaped delimiter; backslashes are kept (they belong to the regex or replacement). */
function split(text: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      // "\<delim>" is the delimiter itself
      cur += text[i + 1] === delim ? delim : c + text[i + 1];
      i++;
    } else if (c === delim) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function replacementParts(text: string, core: Core): Part[] {
  const parts: Part[] = [];
  let lit = '';
  const flush = () => {
    if (!lit) return;
    if (lit.includes('$')) {
      const f = pvApi(core).parseFormat(lit);
      parts.push(f.isStatic ? f.text : f);
    } else parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 === text.length) {
      lit += c;
      continue;
    }
    const n = text[++i];
    if (n >= '0' && n <= '9') {
      flush();
      parts.push(n.charCodeAt(0) - 48);
    } else if (n === 'u') {
      flush();
      parts.push(RURI);
    } else lit += ESCAPES[n] ?? n;
  }
  flush();
  return parts;
}

export function parseSubst(text: string, core: Core): Subst {
  if (text.length < 4) throw new Error(`bad subst expression "${text}"`);
  const fields = split(text, text[0]);
  if (fields.length !== 3) throw new Error(`bad subst expression "${text}": expected /re/replacement/flags`);
  const [reText, repl, flagText] = fields;
  let flags = '';
  let global = false;
  let dotAll = false; // 's': REG_NEWLINE off
  for (const f of flagText) {
    if (f === 'i') flags += 'i';
    else if (f === 'g') global = true;
    else if (f === 's') dotAll = true;
    else throw new Error(`bad subst expression "${text}": unknown flag '${f}'`);
  }
  flags += dotAll ? 's' : 'm';
  let re: RegExp;
  try {
    re = compileRegex(reText, flags);
  } catch (e) {
    throw new Error(`bad subst expression "${text}": ${(e as Error).message}`);
  }
  const parts = replacementParts(repl, core);
  const groups = new RegExp(`${re.source}|`).exec('')!.length - 1;
  for (const p of parts) if (typeof p === 'number' && p > groups) throw new Error(`bad subst expression "${text}": \\${p} but only ${groups} groups`);
  return { orig: text, re, global, parts };
}

export function replacement(s: Subst, m: RegExpExecArray, ctx: RunCtx): string {
  let out = '';
  for (const p of s.parts) {
    if (typeof p === 'string') out += p;
    else if (typeof p === 'number') out += m[p] ?? '';
    else if (p === RURI) out += ctx.msg.isRequest ? ctx.msg.newUri ?? ctx.msg.ruri : '';
    else out += p.print(ctx);
  }
  return out;
}

/** Matches of s in text (all with g, else the first); empty matches are skipped. */
export function* matches(s: Subst, text: string): Generator<RegExpExecArray> {
  const re = s.re;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    yield m;
    if (!s.global) return;
  }
}

/** subst on a whole string (URI, user): the result, or null when nothing matched. */
export function substString(s: Subst, text: string, ctx: RunCtx): string | null {
  let out = '';
  let last = -1;
  for (const m of matches(s, text)) {
    out += text.slice(last < 0 ? 0 : last, m.index) + replacement(s, m, ctx);
    last = m.index + m[0].length;
  }
  return last < 0 ? null : out + text.slice(last);
}
