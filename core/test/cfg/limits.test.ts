/** Nesting limits: absurd configs fail with a position instead of exhausting the stack. */
import { errorsOf, recs } from './harness';

const N = 20000;

test.each([
  ['parentheses', `$var(x) = ${'('.repeat(N)}1${')'.repeat(N)};`, 'nested deeper than 100'],
  ['blocks', `${'if (1) {'.repeat(N)} ${'}'.repeat(N)}`, 'nested deeper than 100'],
  ['bare if chains', `${'if (1) '.repeat(N)} drop;`, 'nested deeper than 100'],
  ['unary operators', `$var(x) = ${'!'.repeat(N)}1;`, 'nested deeper than 100'],
  ['operator chains', `$var(x) = 1${' + $var(y)'.repeat(N)};`, 'longer than 1000 operators'],
])('%s', async (_name, body, msg) => {
  const out = await errorsOf(`route {\n${body}\n}`);
  expect(out).toMatch(/:2:\d+: /);
  expect(out).toContain(msg);
  expect(out.split('\n')).toHaveLength(1);
});

test('realistic depths and long || chains are fine', async () => {
  const cond = Array.from({ length: 300 }, (_, i) => `$var(v) == ${i}`).join(' || ');
  expect(await recs(`$var(v) = 299; if (${cond}) rec("hit"); $var(x) = ${'('.repeat(60)}2${')'.repeat(60)}; rec("$var(x)");`)).toEqual(['hit', '2']);
});
