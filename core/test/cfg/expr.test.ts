/** Operators, conversions and precedence of cfg-language.md §6 (values printed through $var). */
import { recs, errorsOf } from './harness';

/** every expression runs after these assignments */
const SETUP = '$var(one) = 1; $var(zero) = 0; $var(sa) = "a"; $var(sb) = "b"; $var(empty) = ""; $var(three) = 3;';

/** Evaluate one expression, assigned to $var(r); returns the printed value. */
async function ev(expr: string): Promise<string> {
  const out = await recs(`${SETUP} $var(r) = ${expr}; rec("$var(r)");`);
  return out[0];
}

describe('conversions (§6.2)', () => {
  test.each([
    ['(int)"12"', '12'],
    ['(int)"12a"', '0'],
    ['(int)" 1"', '0'],
    ['(int)"0x1"', '0'],
    ['(int)"-7"', '-7'],
    ['(int)""', '0'],
    ['(int)$null', '0'],
    ['(str)-1', '-1'],
    ['(str)5 + 1', '51'],
  ])('%s -> %s', async (e, want) => {
    expect(await ev(e)).toBe(want);
  });
});

describe('operators (§6.3)', () => {
  test.each([
    ['"a" + 1', 'a1'],
    ['$var(one) + "2"', '3'],
    ['$null + "x"', 'x'],
    ['7 - 2 * 3', '1'],
    ['(7 - 2) * 3', '15'],
    ['7 / 2', '3'],
    ['-7 / 2', '-3'],
    ['7 mod 3', '1'],
    ['-7 mod 3', '-1'],
    ['6 & 3', '2'],
    ['6 | 3', '7'],
    ['1 | 2 & 0', '1'],
    ['3 > 2', '1'],
    ['3 <= 2', '0'],
    // kamailio rewrites `$v == ""` into strempty($v) at start: 0 is "0", not empty
    ['$var(zero) == ""', '0'],
    ['$var(zero) == $var(empty)', '1'],
    ['$var(sa) && 1', '0'],
    ['$var(three) && 1', '3'],
    ['$var(three) || 0', '3'],
    ['$var(sa) * 1', '0'],
    ['0 + $var(sa)', '0'],
    ['$var(sa) + 0', 'a0'],
    ['"" + $var(one)', '1'],
    ['ret("0") * 0', '0'],
    ['$var(zero) eq ""', '0'],
    ['$var(sa) ieq $var(sb)', '1'],
    ['$var(one) ine 2', '1'],
    ['"abc" == "ABC"', '0'],
    ['"abc" != "abd"', '1'],
    ['$null == $null', '1'],
    ['$null == 0', '1'],
    ['$null == ""', '1'],
    ['$null == "x"', '0'],
    ['"sip:Bob@x" =~ "^SIP:bob"', '1'],
    ['"abc" !~ "b"', '0'],
    ['-1 && 1', '1'],
    ['0 || -3', '1'],
    ['!5', '0'],
    ['!0', '1'],
    ['!-5', '0'],
    ['!1 == 0', '1'],
    ['- 3 + 1', '-2'],
    ['strlen("abcd")', '4'],
    ['strempty("")', '1'],
    ['strempty($null)', '1'],
    ['defined $null', '0'],
    ['defined $var(nosuch)', '1'],
    ['defined $avp(nosuch)', '0'],
    ['defined (1 + 1)', '1'],
    ['2147483647 + 1', '-2147483648'],
    ['010', '8'],
    ['0x1F', '31'],
    ['101b', '5'],
    ['yes + on', '2'],
    ['1 == 1 && 2 == 2 || 0', '1'],
    ['1 || 0 && 0', '1'],
  ])('%s -> %s', async (e, want) => {
    expect(await ev(e)).toBe(want);
  });

  test('a PV holding a numeric string concatenates with +', async () => {
    expect(await recs(`$var(s) = "3"; $var(r) = $var(s) + 1; rec("$var(r)");`)).toEqual(['31']);
    expect(await recs(`$var(n) = 3; $var(r) = $var(n) + 1; rec("$var(r)");`)).toEqual(['4']);
  });

  test('$cs is a string: + concatenates, > converts', async () => {
    expect(await recs(`$var(r) = $cs + 1; rec("$var(r)"); if ($cs > 1) rec("gt");`)).toEqual(['3141591', 'gt']);
  });

  test('division by zero makes the if false and the assignment fail; the script continues', async () => {
    expect(await recs(`$var(z) = 0; if (1 / $var(z)) rec("t"); else rec("f"); $var(r) = 5; $var(r) = 1 / $var(z); rec("$var(r)");`)).toEqual(['f', '5']);
  });

  test('a function call as an operand is 1 when it returned > 0, else 0', async () => {
    expect(await recs(`$var(r) = ret("5") + ret("-3") + ret("2"); rec("$var(r)");`)).toEqual(['2']);
  });

  test('dynamic regex on the right is compiled at run time', async () => {
    expect(await recs(`$var(re) = "^inv"; if ($rm =~ $var(re)) rec("m");`)).toEqual(['m']);
  });
});

describe('static type checks', () => {
  test.each([
    ['"a" - 1', 'type mismatch'],
    ['"a" > 1', 'type mismatch'],
    ['"a" ieq "b"', 'type mismatch'],
    ['$var(x) ieq "b"', 'type mismatch'],
    ['$var(x) - "a"', 'type mismatch'],
    ['$var(x) && "a"', 'type mismatch'],
    ['(1 + 1) == "2"', 'type mismatch'],
    ['1 eq "1"', 'type mismatch'],
    ['1 == "1"', 'type mismatch'],
    ['1 + "a"', 'type mismatch'],
    ['1 / 0', 'division by zero'],
  ])('%s is refused', async (e, msg) => {
    const out = await errorsOf(`route { $var(r) = ${e}; }`);
    expect(out).toMatch(/c\d+\.cfg:1:\d+: /);
    expect(out).toContain(msg);
  });

  test('"1" == 1 is allowed and true', async () => {
    expect(await ev('"1" == 1')).toBe('1');
  });

  test('bad regex is a startup error with its position', async () => {
    expect(await errorsOf(`route {\n  if ($rm =~ "a(b") drop;\n}`)).toMatch(/:2:\d+: bad regular expression/);
  });

  test('nested quantifiers are refused', async () => {
    expect(await errorsOf(`route {\n  if ($rm =~ "(a+)+$") drop;\n}`)).toContain('backtrack');
  });
});
