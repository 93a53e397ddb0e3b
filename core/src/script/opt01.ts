/**
 * Kamailio's start-time rewrites of an operator with one constant operand (`$v * 0` -> 0,
 * `$v * 1` -> (int)$v, `$v == ""` -> strempty($v), ...). They are visible in results, so sipr
 * applies them too: `$v && 1` yields (int)$v (3, not 1), `$v == ""` is false for 0, and a
 * dropped operand (`$f() * 0`) is never evaluated. Checked against kamailio 5.6.
 */
import type { RunCtx } from './types';
import type { CE } from './compile-expr';
import { toInt, toStr, type Val } from './values';

/** The replacement for `l op r`, or null when no rewrite applies. */
export function optimize01(op: string, l: CE, r: CE): CE | null {
  const lk = l.konst;
  const rk = r.konst;
  if ((lk === undefined) === (rk === undefined)) return null;
  const ct = (lk ?? rk)!.v;
  const kept = lk ? r : l;
  const v = converted(kept, toInt, 'int');
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
  if (op === '+' && l.type === 'str') return converted(kept, toStr, 'str');
  if (op === '==') return converted(kept, (x) => (toStr(x).length === 0 ? 1 : 0), 'int');
  return null;
}

/** The kept operand with the operator's result conversion applied. */
function converted(e: CE, f: (v: Val) => Val, type: 'int' | 'str'): CE {
  const g = e.ev;
  if (e.async) return { ev: async (ctx: RunCtx) => f(await g(ctx)), async: true, type };
  return { ev: (ctx: RunCtx) => f(g(ctx)), async: false, type };
}
