/** Malformed configs never crash the loader: every outcome is a script or ConfigErrors with positions. */
import fc from 'fast-check';
import { load } from './harness';
import { ConfigErrors } from '../../src/errors';

const PIECES = [
  'route', '{', '}', '(', ')', '[', ']', ';', ',', ':', '=', '==', '!=', '=~', '+', '-', '!', '&&', '||', 'if', 'else', 'while',
  'switch', 'case', 'default', 'break', 'return', 'exit', 'drop', '"str"', "'raw'", '"unterminated', '/*', '*/', '#', '#!ifdef X',
  '#!endif', '#!else', '#!define X 1', 'X', '1', '010', '0x', '$var(a)', '$(', '$rU', '@cseq', 'rec("x")', 'route(a)', 'route[a]',
  'failure_route[f]', 'event_route[a:b]', 'include_file', '"nope.cfg"', 'flags', 'modparam', 'loadmodule', '\n', ' ', '\\',
  'method', 'src_ip', 'myself', '10.0.0.0/8', 'msg:len', '(int)', 'defined', 'strlen(', '$var(x) =',
];

test('random token soup is a script or ConfigErrors, never a crash', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), async (parts) => {
      const text = parts.join(' ');
      try {
        await load(text);
      } catch (e) {
        if (!(e instanceof ConfigErrors)) throw e;
        for (const d of e.diagnostics) {
          expect(d.file).toBeTruthy();
          expect(d.line).toBeGreaterThan(0);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('random bytes never crash the loader', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
      try {
        await load(text);
      } catch (e) {
        if (!(e instanceof ConfigErrors)) throw e;
      }
    }),
    { numRuns: 300 },
  );
});
