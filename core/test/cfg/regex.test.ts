/** POSIX ERE to JS translation and its safety limits. */
import { compileEre, ereTest, MAX_SUBJECT } from '../../src/cfg/regex';

const m = (re: string, s: string, icase = true) => ereTest(compileEre(re, icase), s);

test('POSIX classes, brackets with a literal backslash and a leading ]', () => {
  expect(m('^[[:digit:]]+$', '0123')).toBe(true);
  expect(m('^[[:alpha:]_]+$', 'ab_C')).toBe(true);
  expect(m('^[[:space:]]$', '\t')).toBe(true);
  expect(m('[\\.]', '\\')).toBe(true);
  expect(m('[]x]', ']')).toBe(true);
  expect(m('[^]x]', ']')).toBe(false);
});

test('case: =~ is case-insensitive, switch regexes are not', () => {
  expect(m('^invite', 'INVITE sip:x')).toBe(true);
  expect(m('^invite', 'INVITE sip:x', false)).toBe(false);
});

test('glibc escapes: \\< \\> word edges, \\1 back-reference, \\d is a plain d', () => {
  expect(m('\\<bob\\>', 'sip:bob@x')).toBe(true);
  expect(m('\\<bo\\>', 'sip:bob@x')).toBe(false);
  expect(m('^(a)\\1$', 'aa')).toBe(true);
  expect(m('^\\d$', 'd')).toBe(true);
  expect(m('^\\d$', '5')).toBe(false);
});

test('. matches a newline (no REG_NEWLINE); {n,m} intervals; a** is one repetition', () => {
  expect(m('a.b', 'a\nb')).toBe(true);
  expect(m('^a{2,3}$', 'aaa')).toBe(true);
  expect(m('^a{2,3}$', 'aaaa')).toBe(false);
  expect(m('^a**$', 'aaa')).toBe(true);
});

test('unsafe nesting is refused, safe groups are fine', () => {
  expect(() => compileEre('(a+)+$', true)).toThrow(/backtrack/);
  expect(() => compileEre('(a|aa)*b', true)).toThrow(/backtrack/);
  expect(() => compileEre('((ab)*c)*', true)).toThrow(/backtrack/);
  expect(() => compileEre('^(INVITE|ACK)$', true)).not.toThrow();
  expect(() => compileEre('(ab)+', true)).not.toThrow();
  expect(() => compileEre('(a+){2}', true)).not.toThrow();
});

test('syntax errors are reported', () => {
  expect(() => compileEre('a(b', true)).toThrow(/missing '\)'/);
  expect(() => compileEre('a)b', true)).toThrow(/unmatched/);
  expect(() => compileEre('[abc', true)).toThrow(/missing '\]'/);
  expect(() => compileEre('[[:nope:]]', true)).toThrow(/unknown character class/);
});

test('subjects longer than MAX_SUBJECT are an evaluation error', () => {
  const re = compileEre('x$', true);
  expect(ereTest(re, 'a'.repeat(MAX_SUBJECT - 1) + 'x')).toBe(true);
  expect(() => ereTest(re, 'a'.repeat(MAX_SUBJECT + 1))).toThrow(/longer than/);
});
