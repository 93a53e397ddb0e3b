/** Scanner edge cases (§2): comments, strings, numbers. */
import { Lexer, parseNumber } from '../../src/cfg/lexer';
import { Defines } from '../../src/cfg/defines';
import type { Diagnostic } from '../../src/errors';
import { recs } from './harness';

function tokens(text: string): { toks: string[]; diags: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const lx = new Lexer('t.cfg', text, new Defines(), diags);
  const toks: string[] = [];
  for (let t = lx.next(); t.kind !== 'eof'; t = lx.next()) toks.push(`${t.kind}:${t.kind === 'num' ? t.num : t.text}|${t.pos.line}:${t.pos.column}`);
  return { toks, diags };
}

test('nested block comments, # and // line comments', () => {
  const { toks } = tokens('a /* x /* y */ z */ b # c\n// d\ne');
  expect(toks).toEqual(['id:a|1:1', 'id:b|1:21', 'id:e|3:1']);
});

test('EOF inside a comment is an error with its start position', () => {
  const { diags } = tokens('a\n  /* never closed');
  expect(diags[0]).toMatchObject({ line: 2, column: 3, message: expect.stringContaining('comment') });
});

test('numbers: decimal, octal, hex, binary; digit-first words are names', () => {
  expect(parseNumber('010')).toBe(8);
  expect(parseNumber('0x1f')).toBe(31);
  expect(parseNumber('101b')).toBe(5);
  expect(parseNumber('0')).toBe(0);
  expect(parseNumber('08')).toBeNull();
  expect(tokens('2xx 12 yes off').toks).toEqual(['id:2xx|1:1', 'num:12|1:5', 'num:1|1:8', 'num:0|1:12']);
});

test('string escapes: known ones decoded, unknown kept, \\1 kept, octal and hex', () => {
  const { toks } = tokens('"a\\tb\\n\\"q\\\\ \\. \\1 \\101\\x41\\x4"');
  expect(toks[0]).toBe('str:a\tb\n"q\\ \\. \\1 AA\x04|1:1');
});

test('adjacent double-quoted strings concatenate; single quotes are raw and span lines', () => {
  expect(tokens('"ab"  \n "cd" x').toks).toEqual(['str:abcd|1:1', 'id:x|2:7']);
  expect(tokens("'a\\n\nb'").toks).toEqual(['str:a\\n\nb|1:1']);
});

test('line continuation in strings and between tokens', () => {
  expect(tokens('"ab\\\ncd"').toks).toEqual(['str:abcd|1:1']);
});

test('PV and select tokens', () => {
  expect(tokens('$var(a(b)) $(hdr(X)[1]{s.len}) $rU $f.x $? @via[1].branch $avp(i:1)[2]').toks.map((t) => t.replace(/\|\d+:\d+$/, ''))).toEqual([
    'pv:$var(a(b))', 'pv:$(hdr(X)[1]{s.len})', 'pv:$rU', 'pv:$f.x', 'pv:$?', 'sel:@via[1].branch', 'pv:$avp(i:1)[2]',
  ]);
});

test('operators, longest match', () => {
  expect(tokens('a!=b=~c!~d==e>=f||g&&h').toks.filter((t) => t.startsWith('op')).map((t) => t.replace(/\|\d+:\d+$/, ''))).toEqual([
    'op:!=', 'op:=~', 'op:!~', 'op:==', 'op:>=', 'op:||', 'op:&&',
  ]);
});

test('string escapes reach the script unchanged', async () => {
  expect(await recs(`$var(s) = "x\\ty"; if ($var(s) =~ "x\\ty") rec("tab"); if ("a.b" =~ "^a\\.b$") rec("dot");`)).toEqual(['tab', 'dot']);
});
