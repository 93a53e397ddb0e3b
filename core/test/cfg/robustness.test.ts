/**
 * Malformed input never crashes: configs give a script or ConfigErrors with positions; damaged
 * messages run through a route to a number.
 */
import fc from 'fast-check';
import { load, invite, rcv } from './harness';
import { parseMessage } from '../../src/sip/message';
import { createRunCtx } from '../../src/script/run-ctx';
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

test('routes never throw on damaged messages (keyword conditions, PVs, rewrites, forward)', async () => {
  const h = await load(`listen=udp:127.0.0.1:5060
route {
  if (method == INVITE && uri == myself) rec("a");
  if (from_uri =~ "alice" || to_uri == myself || src_ip == 10.0.0.0/8) rec("b");
  $var(x) = $hdr(CSeq) + $fu + $tU + $ci;
  switch ($rm) { case /"^I": rec("i"); break; default: rec("d"); }
  if ($var(x) =~ "^[0-9]") rec("n");
  prefix("9"); strip(1); sethost("127.0.0.1");
  forward();
  rec("end");
}`);
  let sent = 0;
  h.core.sender = { send: () => (sent++, true), socketFor: () => rcv.socket };
  const base = invite();
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), async (muts) => {
      const buf = Buffer.from(base);
      for (const [i, b] of muts) buf[i] = b;
      let msg;
      try {
        msg = parseMessage(buf, rcv);
      } catch {
        return; // framing refused by the parser: never reaches a route
      }
      const ctx = createRunCtx(h.core, msg, 1);
      const r = await h.script.route('request', 'main')!(ctx);
      expect(typeof r).toBe('number');
    }),
    { numRuns: 300 },
  );
  // undamaged or lightly damaged messages were really forwarded
  expect(sent).toBeGreaterThan(0);
});
