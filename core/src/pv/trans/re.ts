/**
 * `{re.subst,/regex/replacement/flags}`: sed-like substitution (Kamailio's re class). The first
 * character is the separator; flags `i` (ignore case), `g` (every match), `s` (the subject is one
 * line: `.` matches a newline and `^`/`$` only the ends; by default they work per line). In the
 * replacement `\0`..`\9` insert the match / a group, a PV its value (null: nothing), `\n` `\r`
 * `\t` a control character, `\\` and `\<separator>` themselves. No match leaves the value as it
 * is; an empty match or a subject over the regex size limit fails (null). The expression is
 * compiled at start, so it must be written literally. (Kamailio 5.6 has this class in textops.)
 */
import type { PvRegistryApi, PvSpec, TransformationDef, TransParam, PvValue } from '../types';
import type { RunCtx } from '../../script/types';
import { pvStr } from '../value';
import { compileEre, MAX_SUBJECT } from '../../cfg/regex';

type Part = string | number | PvSpec;

interface Subst {
  readonly re: RegExp;
  /** literal text, group numbers and PVs, in order */
  readonly parts: readonly Part[];
}

const compiled = new WeakMap<TransParam, Subst>();

function parseSubst(expr: string, reg: PvRegistryApi): Subst {
  const sep = expr[0];
  if (sep === undefined || sep === '\\' || /[A-Za-z0-9\s]/.test(sep)) throw new Error(`'${expr}' is not /regex/replacement/flags`);
  const fields: string[] = [''];
  let i = 1;
  for (; i < expr.length && fields.length < 3; i++) {
    const c = expr[i];
    if (c === '\\' && expr[i + 1] === sep) {
      fields[fields.length - 1] += sep;
      i++;
    } else if (c === '\\') {
      fields[fields.length - 1] += c + (expr[i + 1] ?? '');
      i++;
    } else if (c === sep) fields.push('');
    else fields[fields.length - 1] += c;
  }
  if (fields.length < 3) throw new Error(`missing '${sep}' in '${expr}'`);
  fields.pop();
  if (fields[0] === '') throw new Error(`empty regular expression in '${expr}'`);
  const flags = expr.slice(i);
  if (!/^[igs]*$/.test(flags)) throw new Error(`unknown flag in '${flags}' (i, g, s)`);
  const base = compileEre(fields[0], flags.includes('i'));
  const re = new RegExp(base.source, (flags.includes('i') ? 'i' : '') + (flags.includes('g') ? 'g' : '') + (flags.includes('s') ? 's' : 'm'));
  const ngroups = new RegExp(`${base.source}|`).exec('')!.length - 1;
  return { re, parts: replacement(fields[1], ngroups, reg) };
}

function replacement(r: string, ngroups: number, reg: PvRegistryApi): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < r.length; i++) {
    const c = r[i];
    if (c === '$') {
      const end = reg.pvEnd(r, i);
      if (lit) parts.push(lit);
      lit = '';
      parts.push(reg.parse(r.slice(i, end)));
      i = end - 1;
      continue;
    }
    if (c !== '\\') {
      lit += c;
      continue;
    }
    const n = r[++i];
    if (n === undefined) throw new Error('trailing backslash in the replacement');
    if (n >= '0' && n <= '9') {
      if (Number(n) > ngroups) throw new Error(`\\${n} but the regex has ${ngroups} group(s)`);
      if (lit) parts.push(lit);
      lit = '';
      parts.push(Number(n));
    } else lit += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
  }
  if (lit) parts.push(lit);
  return parts;
}

function apply(ctx: RunCtx, s: Subst, subject: string): string | null {
  const re = s.re;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(subject)) !== null) {
    // an empty match is an error for kamailio's subst (`/x*/` fails rather than inserting)
    if (m[0].length === 0) return null;
    out += subject.slice(last, m.index);
    for (const p of s.parts) out += typeof p === 'string' ? p : typeof p === 'number' ? (m[p] ?? '') : (pvStr(p.get(ctx)) ?? '');
    last = m.index + m[0].length;
    if (!re.global) break;
  }
  return out + subject.slice(last);
}

export const reTransformations: TransformationDef[] = [
  {
    cls: 're',
    name: 'subst',
    params: ['str'],
    validate(params, reg) {
      const p = params[0];
      if (p.spec !== null) throw new Error('the expression must be written literally');
      compiled.set(p, parseSubst(String(p.value), reg));
    },
    apply(ctx, v, params): PvValue {
      const s = typeof v === 'string' ? v : '' + v;
      if (s.length > MAX_SUBJECT) return null;
      return apply(ctx, compiled.get(params[0])!, s);
    },
  },
];

export function registerReTransformations(reg: PvRegistryApi): void {
  for (const d of reTransformations) reg.registerTransformation(d);
}
