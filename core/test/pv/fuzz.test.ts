/** Whatever a config holds, the PV and select parsers answer with a spec or a PvError, never a crash. */
import fc from 'fast-check';
import { newCore, newCtx } from './helpers';
import { PvError } from '../../src/pv/error';
import { avpClass, AvpAliases } from '../../src/pv/avp';
import { xavpClass } from '../../src/pv/xavp';

const core = newCore('all');
core.pv.registerClass(avpClass(new AvpAliases()));
core.pv.registerClass(xavpClass);
core.pv.registerClass({ name: 'hdr', inner: 'required', indexable: true, get: (ctx, name: string) => ctx.msg.header(name)?.value ?? null });
const ctx = newCtx(core);

const pieces = ['$', '(', ')', '[', ']', '{', '}', '.', ',', '=>', '*', '-1', '0', 's.', 'len', 'substr', 'avp', 'xavp', 'hdr',
  'rc', '?', '$$', 'f.', 'i:', 's:', 'uri.', 'user', ' ', 'x', '"', '@', 'via', 'param.value', 'select'];
const text = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength: 14 }).map((a) => a.join(''));

function onlyPvErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof PvError)) throw e;
  }
}

/** Whatever parsed must also read (and print) without throwing. */
function parsesAndReads(t: string, mode: 'kamailio' | 'ser' | 'all'): void {
  onlyPvErrors(() => core.pv.parse(t, mode).get(ctx));
  onlyPvErrors(() => core.pv.parseFormat(t, mode).print(ctx));
}

test('PV parse and parseFormat in every mode', () => {
  fc.assert(
    fc.property(text, fc.constantFrom('kamailio', 'ser', 'all') as fc.Arbitrary<'kamailio' | 'ser' | 'all'>, (t, mode) => {
      parsesAndReads('$' + t, mode);
      parsesAndReads(t, mode);
    }),
    { numRuns: 3000 },
  );
});

test('select parse', () => {
  fc.assert(
    fc.property(text, (t) => {
      onlyPvErrors(() => core.selects.parse('@' + t).get(ctx));
    }),
    { numRuns: 3000 },
  );
});
