/** Control flow of cfg-language.md §5: switch, while, return/exit/drop propagation, $rc. */
import { load, recs, run, errorsOf, invite, rcv } from './harness';
import { createRunCtx, wasDropped } from '../../src/script/run-ctx';
import { parseMessage } from '../../src/sip/message';

describe('switch', () => {
  const sw = (v: string) => `
    switch (${v}) {
      case 1: rec("one");
      case 2: rec("two"); break;
      case 3: rec("three");
      default: rec("def");
      case 4: rec("four");
    }
    rec("after");`;

  test('falls through until break', async () => {
    expect(await recs(sw('1'))).toEqual(['one', 'two', 'after']);
  });
  test('falls through past default', async () => {
    expect(await recs(sw('3'))).toEqual(['three', 'def', 'four', 'after']);
  });
  test('no matching label runs default', async () => {
    expect(await recs(sw('9'))).toEqual(['def', 'four', 'after']);
  });
  test('int switch converts a string value', async () => {
    expect(await recs(sw('"2"'))).toEqual(['two', 'after']);
  });

  test('string and regex labels, in source order, regex case-sensitive', async () => {
    const body = (v: string) => `switch ("${v}") {
      case "INVITE": rec("exact"); break;
      case /"^INV": rec("re"); break;
      case /"^reg": rec("reg"); break;
      default: rec("def");
    }`;
    expect(await recs(body('INVITE'))).toEqual(['exact']);
    expect(await recs(body('INVITEX'))).toEqual(['re']);
    expect(await recs(body('REGISTER'))).toEqual(['def']);
    expect(await recs(body('register'))).toEqual(['reg']);
  });

  test('break inside an if inside a case leaves the switch only', async () => {
    expect(await recs(`switch (1) { case 1: if (1 == 1) { break; } rec("no"); } rec("after");`)).toEqual(['after']);
  });

  test('return passes through the switch', async () => {
    expect(await recs(`route(s); rec("rc=$rc");`, 'route[s] { switch (1) { case 1: return 7; } rec("no"); }')).toEqual(['rc=7']);
  });

  test('mixing int and string labels is an error; duplicates are errors', async () => {
    expect(await errorsOf('route { switch ($rm) { case 1: break; case "a": break; } }')).toContain('mixes int and str');
    expect(await errorsOf('route { switch ($rm) { case 1: break; case 1: break; } }')).toContain('duplicate case 1');
    expect(await errorsOf('route { switch ($rm) { case $ru: break; } }')).toContain('must be a constant');
  });
});

describe('while', () => {
  test('loops with break', async () => {
    expect(await recs(`$var(i) = 0; while ($var(i) < 10) { $var(i) = $var(i) + 1; if ($var(i) == 3) break; } rec("$var(i)");`)).toEqual(['3']);
  });
  test('max_while_loops aborts the loop and the script goes on', async () => {
    const h = await load(`max_while_loops = 5\nroute { $var(i) = 0; while (1) { $var(i) = $var(i) + 1; } rec("i=$var(i) rc=$rc"); }`);
    await run(h);
    expect(h.calls).toEqual(['i=5 rc=0']);
    expect(h.logs.join('\n')).toContain('max_while_loops');
  });
  test('negative condition keeps looping (3.0)', async () => {
    expect(await recs(`$var(i) = -3; while ($var(i)) { $var(i) = $var(i) + 1; } rec("$var(i)");`)).toEqual(['0']);
  });
  test('return inside the body leaves loop and route', async () => {
    expect(await recs(`route(w); rec("rc=$rc");`, 'route[w] { while (1) { return 4; } rec("no"); }')).toEqual(['rc=4']);
  });
});

describe('return, exit, drop', () => {
  const subs = `
    route[r0] { return 0; }
    route[rneg] { return -2; }
    route[rnone] { rec("in"); return; }
    route[ex] { exit; }
    route[dr] { drop; }
    route[f0] { ret("0"); rec("not reached"); }
    route[deep] { route(ex); rec("not reached"); }
    route[empty] { }`;

  test('return 0 in a sub-route does not stop the caller; $rc is its value', async () => {
    expect(await recs(`route(r0); rec("rc=$rc"); route(rneg); rec("rc=$rc"); route(rnone); rec("rc=$rc");`, subs)).toEqual(['rc=0', 'rc=-2', 'in', 'rc=1']);
  });
  test('if (route(x)) is false for return 0 and negative values', async () => {
    expect(await recs(`if (route(r0)) rec("t"); else rec("f"); if (route(rnone)) rec("t2");`, subs)).toEqual(['f', 'in', 't2']);
  });
  test('exit in a sub-route stops everything', async () => {
    const h = await load(`${subs}\nroute { route(deep); rec("after"); }`);
    const ctx = await run(h);
    expect(h.calls).toEqual([]);
    expect(wasDropped(ctx)).toBe(false);
  });
  test('drop stops the script and is reported', async () => {
    const h = await load(`${subs}\nroute { route(dr); rec("after"); }`);
    const ctx = await run(h);
    expect(h.calls).toEqual([]);
    expect(wasDropped(ctx)).toBe(true);
  });
  test('a module function returning 0 stops the script', async () => {
    expect(await recs(`route(f0); rec("after");`, subs)).toEqual([]);
  });
  test('a 0-returning function inside a condition stops the script after evaluation', async () => {
    expect(await recs(`if (ret("0")) rec("t"); else rec("f"); rec("after");`)).toEqual([]);
  });
  test('$rc after function calls', async () => {
    expect(await recs(`ret("-5"); rec("$rc"); ret("3"); rec("$rc");`)).toEqual(['-5', '3']);
  });
  test('an undefined numeric route is an empty route returning 1; a named one is an error', async () => {
    expect(await recs(`route(7); rec("rc=$rc");`)).toEqual(['rc=1']);
    expect(await errorsOf('route { route(nosuch); }')).toContain("route 'nosuch' is not defined");
  });
  test('empty sub-route returns 1', async () => {
    expect(await recs(`route(empty); rec("$rc");`, subs)).toEqual(['1']);
  });
  test('top-level return ends the route with its value', async () => {
    const h = await load(`route { rec("a"); return 3; rec("b"); }`);
    const ctx = await run(h);
    expect(h.calls).toEqual(['a']);
    expect(ctx.result).toBe(3);
  });
  test('recursion deeper than 100 levels is stopped', async () => {
    const h = await load(`route[loop] { $var(n) = $var(n) + 1; route(loop); }\nroute { $var(n) = 0; route(loop); rec("$var(n)"); }`);
    await run(h);
    expect(h.calls).toEqual(['100']);
  });
  test('an exception thrown by a module function is a -1 result, not a crash', async () => {
    expect(await recs(`boom(); rec("rc=$rc");`)).toEqual(['rc=-1']);
  });
});

test('module functions are found by name and parameter count; parameters arrive fixed', async () => {
  expect(await recs('cat("a", "b", "c"); cat("w", "x", 5, "z");')).toEqual(['abc', 'wx5z']);
});

describe('assignment and blocks', () => {
  test('assigning undef to $var makes it 0; $avp keeps values', async () => {
    expect(await recs(`$var(x) = "a"; $var(x) = $null; rec("[$var(x)]");`)).toEqual(['[0]']);
  });
  test('assignment inside an expression', async () => {
    expect(await recs(`if (($var(x) = 5)) rec("$var(x)");`)).toEqual(['5']);
  });
  test('{ actions } as an operand', async () => {
    expect(await recs(`if ({ rec("in"); ret("-1"); }) rec("t"); else rec("f");`)).toEqual(['in', 'f']);
  });
  test('else if chains', async () => {
    expect(await recs(`$var(x) = 2; if ($var(x) == 1) rec("1"); else if ($var(x) == 2) rec("2"); else rec("3");`)).toEqual(['2']);
  });
  test('+= is refused', async () => {
    expect(await errorsOf('route { $var(x) += 1; }')).toContain("'+=' is not supported");
  });
});

describe('async functions', () => {
  test('a route calling an async function (directly or via route()) is async; others stay sync', async () => {
    const h = await load(`route[a] { wait("3"); rec("after wait rc=$rc"); }\nroute[s] { rec("sync"); }\nroute { route(a); rec("main rc=$rc"); }\nfailure_route[f] { rec("x"); }`);
    expect(h.script.isAsync('request', 'main')).toBe(true);
    expect(h.script.isAsync('request', 'a')).toBe(true);
    expect(h.script.isAsync('request', 's')).toBe(false);
    expect(h.script.isAsync('failure', 'f')).toBe(false);
    const ctx = await run(h);
    // route(a)'s value is its last action's (rec() -> 1)
    expect(h.calls).toEqual(['after wait rc=3', 'main rc=1']);
    expect(ctx.result).toBe(1);
  });
  test('a sync route returns a number, not a Promise', async () => {
    const h = await load('route { rec("x"); }');
    const r = h.script.route('request', 'main')!(createRunCtx(h.core, parseMessage(invite(), rcv), 1));
    expect(typeof r).toBe('number');
  });
  test('async in conditions, loops and switch', async () => {
    expect(await recs(`$var(i) = 0; while (wait("1") && $var(i) < 2) { $var(i) = $var(i) + 1; } if (wait("-1")) rec("t"); else rec("f"); switch (wait("1")) { case 1: rec("one"); } rec("$var(i)");`)).toEqual(['f', 'one', '2']);
  });
  test('an async function returning 0 stops the script', async () => {
    expect(await recs(`wait("0"); rec("no");`)).toEqual([]);
  });
});
