/**
 * POSIX ERE (as Kamailio's regcomp sees it) translated to a JS RegExp.
 *
 * Safety: JS regexes backtrack, POSIX engines in glibc mostly do too; a crafted subject against
 * `(a+)+$` would hang a worker. So an unbounded quantifier (`*`, `+`, `{n,}`) applied to a group
 * that itself contains a quantifier or an alternation is refused at start, and subjects longer
 * than MAX_SUBJECT are an evaluation error instead of a match attempt.
 */
import { SiprError, ErrorCode } from '../errors';

export const MAX_SUBJECT = 8192;

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e', word: 'a-zA-Z0-9_',
};

interface Group {
  hasQuant: boolean;
  hasAlt: boolean;
}

/** Compile an ERE; throws SiprError (with the reason) for a bad or unsafe pattern. */
export function compileEre(src: string, icase: boolean): RegExp {
  let out = '';
  const groups: Group[] = [{ hasQuant: false, hasAlt: false }];
  let lastGroup: Group | null = null;
  const bad = (why: string): never => {
    throw new SiprError(ErrorCode.CONFIG_SEMANTIC, `bad regular expression "${src}": ${why}`);
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    const top = groups[groups.length - 1];
    if (c === '[') {
      const [cls, end] = bracket(src, i, bad);
      out += cls;
      i = end;
      lastGroup = null;
      continue;
    }
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) bad('trailing backslash');
      i++;
      if (n === '<') out += '\\b(?=\\w)';
      else if (n === '>') out += '\\b(?<=\\w)';
      else if ('wWsSbB'.includes(n) || /[1-9]/.test(n)) out += '\\' + n;
      // glibc has no \d, \n ... escapes: the character stands for itself
      else out += /[A-Za-z0-9]/.test(n) ? n : '\\' + n;
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      groups.push({ hasQuant: false, hasAlt: false });
      out += '(';
      lastGroup = null;
      continue;
    }
    if (c === ')') {
      if (groups.length === 1) bad("unmatched ')'");
      const g = groups.pop()!;
      const outer = groups[groups.length - 1];
      outer.hasQuant ||= g.hasQuant;
      outer.hasAlt ||= g.hasAlt;
      out += ')';
      lastGroup = g;
      continue;
    }
    if (c === '|') {
      top.hasAlt = true;
      out += '|';
      lastGroup = null;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let q = c;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
        if (!m) {
          out += '\\{';
          lastGroup = null;
          continue;
        }
        q = m[0];
        i += m[0].length - 1;
      }
      const unbounded = q === '*' || q === '+' || /,\}$/.test(q);
      if (unbounded && lastGroup && (lastGroup.hasQuant || lastGroup.hasAlt)) {
        bad('a repeated group containing a repetition or alternation can backtrack catastrophically; rewrite it');
      }
      top.hasQuant = true;
      out += q;
      // `a**` is legal ERE; one quantifier is what it means
      while (i + 1 < src.length && '*+?'.includes(src[i + 1])) i++;
      lastGroup = null;
      continue;
    }
    out += c === '/' ? '\\/' : c;
    lastGroup = null;
  }
  if (groups.length !== 1) bad("missing ')'");
  try {
    return new RegExp(out, icase ? 'is' : 's');
  } catch (e) {
    return bad((e as Error).message);
  }
}

/** `[...]`: POSIX classes expanded, backslash literal, `]` first is literal. */
function bracket(src: string, start: number, bad: (why: string) => never): [string, number] {
  let i = start + 1;
  let out = '[';
  if (src[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === ']' && !first) return [out + ']', i];
    first = false;
    if (c === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i + 2);
      if (end < 0) bad('unterminated [: :] class');
      const name = src.slice(i + 2, end);
      const cls = CLASSES[name];
      if (cls === undefined) bad(`unknown character class [:${name}:]`);
      out += cls;
      i = end + 1;
      continue;
    }
    if (c === '\\' || c === ']' || c === '[') out += '\\' + c;
    else out += c;
  }
  return bad("missing ']'");
}

/** Run a compiled ERE against a subject, refusing oversized subjects. */
export function ereTest(re: RegExp, subject: string): boolean {
  if (subject.length > MAX_SUBJECT) throw new SiprError(ErrorCode.CONFIG_SEMANTIC, `regex subject longer than ${MAX_SUBJECT} characters`);
  return re.test(subject);
}
