/**
 * Kamailio's start-time rewrites of an operator with one constant operand (`$v * 0` -> 0,
 * `$v * 1` -> $v, `$v == ""` -> strempty($v), ...). They are visible in results: the kept operand
 * is not converted (`$v && 1` yields $v itself) and a dropped one is never evaluated, so sipr applies
 * the same rewrites to give the same answers.
 */
import type { RunCtx } from './types';
import type { CE } from './compile-expr';
import { toStr, type Val } from './values';

/** The replacement for `l op r`, or null when no rewrite applies. */
export function optimize01(op: string, l: CE, r: CE): CE | null {
  const lk = l.konst;
  const rk = r.konst;
  if ((lk === undefined) === (rk === undefined)) return null;
  const ct = (lk ?? rk)!.v;
  const v = lk ? r : l;
  const ctOnRight = rk !== undefined;
  const konst = (x: Val): CE => ({ ev: () => x, async: false, type: typeof x === 'number' ? 'int' : 'str', konst: { v: x } });
  if (typeof ct === 'number') {
    switch (op) {
      case '*':
        return ct === 0 ? konst(0) : ct === 1 ? v : null;
      case '/':
        if (ct === 0 && !ctOnRight) return konst(0);
        return ct === 1 && ctOnRight ? v : null;
      case '-':
        return ct === 0 && ctOnRight ? v : null;
      case '&':
        return ct === 0 ? konst(0) : null;
      case '|':
        return ct === 0 ? v : null;
      case '&&':
        return ct === 0 ? konst(0) : ct === 1 ? v : null;
      case '||':
        return ct === 1 ? konst(1) : ct === 0 ? v : null;
      case '+':
        // only an int plus (left side known to be int) drops a 0: "foo" + 0 is "foo0"
        return ct === 0 && l.type === 'int' ? v : null;
    }
    return null;
  }
  if (ct === null || ct.length !== 0) return null;
  if (op === '+' && l.type === 'str') return v;
  if (op === '==') {
    const g = v.ev;
    if (v.async) return { ev: async (ctx: RunCtx) => (toStr(await g(ctx)).length === 0 ? 1 : 0), async: true, type: 'int' };
    return { ev: (ctx: RunCtx) => (toStr(g(ctx)).length === 0 ? 1 : 0), async: false, type: 'int' };
  }
  return null;
}
