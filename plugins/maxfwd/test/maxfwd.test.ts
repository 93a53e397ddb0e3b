import fc from 'fast-check';
import { ModuleHarness } from '@sipr/sdk';
import { RouteType, type SipMsg } from '@sipr/core';

const request = (mf: string, branch = 'z9hG4bK-1') =>
  'OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n'
  + `Via: SIP/2.0/UDP 127.0.0.1:17070;branch=${branch};rport\r\n`
  + 'From: <sip:a@127.0.0.1>;tag=1\r\n'
  + 'To: <sip:bob@127.0.0.1>\r\n'
  + 'Call-ID: mf1\r\n'
  + 'CSeq: 1 OPTIONS\r\n'
  + mf
  + 'Content-Length: 0\r\n\r\n';

/** The message as it would be forwarded: pending changes applied. */
function wire(msg: unknown): string {
  const m = msg as SipMsg;
  m.applyChanges();
  return m.buf.toString('latin1');
}

describe('mf_process_maxfwd_header (bytes as kamailio 5.6 forwards them)', () => {
  let h: ModuleHarness;
  beforeEach(async () => {
    h = await ModuleHarness.create({ modules: ['maxfwd'] });
  });
  afterEach(() => h.destroy());

  test('decrements in place, keeping the width ("10" -> " 9")', () => {
    const msg = h.message(request('Max-Forwards: 10\r\n'));
    expect(h.call('mf_process_maxfwd_header', ['10'], msg).rc).toBe(1);
    expect(wire(msg)).toBe(request('Max-Forwards:  9\r\n'));
  });

  test('adds the header with the given value before the first header when missing', () => {
    const msg = h.message(request(''));
    expect(h.call('mf_process_maxfwd_header', ['10'], msg).rc).toBe(2);
    expect(wire(msg)).toBe(request('').replace('SIP/2.0\r\nVia', 'SIP/2.0\r\nMax-Forwards: 10\r\nVia'));
  });

  test('returns -1 at 0 and sends nothing', () => {
    const msg = h.message(request('Max-Forwards: 0\r\n'));
    expect(h.call('mf_process_maxfwd_header', ['10'], msg).rc).toBe(-1);
    expect(h.sent).toHaveLength(0);
    expect(wire(msg)).toBe(request('Max-Forwards: 0\r\n'));
  });

  test('keeps the padding around the value', () => {
    const msg = h.message(request('Max-Forwards:   5  \r\n'));
    h.call('mf_process_maxfwd_header', ['10'], msg);
    expect(wire(msg)).toBe(request('Max-Forwards:   4  \r\n'));
  });

  test('a second call decrements again', () => {
    const msg = h.message(request('Max-Forwards: 10\r\n'));
    h.call('mf_process_maxfwd_header', ['10'], msg);
    h.call('mf_process_maxfwd_header', ['10'], msg);
    expect(wire(msg)).toBe(request('Max-Forwards:  8\r\n'));
  });

  test('a malformed value returns -2', () => {
    const msg = h.message(request('Max-Forwards: ten\r\n'));
    expect(h.call('mf_process_maxfwd_header', ['10'], msg).rc).toBe(-2);
  });

  test('the limit may come from a variable (fixup_var_int_1)', () => {
    const ctx = h.context(h.message(request('')));
    ctx.rc = 5;
    expect(h.call('mf_process_maxfwd_header', ['$rc'], ctx).rc).toBe(2);
    expect(wire(ctx.msg)).toContain('SIP/2.0\r\nMax-Forwards: 5\r\nVia');
  });

  test('a limit that is not an integer is refused at start', () => {
    expect(() => h.call('mf_process_maxfwd_header', ['ten'], h.message(request('')))).toThrow('mf_process_maxfwd_header(): parameter 1: "ten" is not an integer (module maxfwd)');
  });

  test('a limit above 255 fails at run time', () => {
    expect(h.call('mf_process_maxfwd_header', ['300'], h.message(request(''))).rc).toBe(-1);
    expect(h.logs.join('\n')).toContain('maxfwd: invalid param value: 300');
  });

  test('is_maxfwd_lt compares, and is allowed in failure routes', () => {
    const msg = h.message(request('Max-Forwards: 5\r\n'));
    expect(h.call('is_maxfwd_lt', ['6'], msg).rc).toBe(1);
    expect(h.call('is_maxfwd_lt', ['5'], msg).rc).toBe(-1);
    expect(h.call('is_maxfwd_lt', ['6'], msg, RouteType.FAILURE).rc).toBe(1);
    expect(h.call('is_maxfwd_lt', ['6'], h.message(request(''))).rc).toBe(-2);
    expect(() => h.call('mf_process_maxfwd_header', ['6'], msg, RouteType.FAILURE)).toThrow(/cannot be used in this route type/);
  });
});

describe('max_limit', () => {
  test('values above max_limit are capped (70 -> 20 with max_limit 20)', async () => {
    const h = await ModuleHarness.create({ modules: ['maxfwd'], params: [['maxfwd', 'max_limit', 20]] });
    const msg = h.message(request('Max-Forwards: 70\r\n'));
    expect(h.call('mf_process_maxfwd_header', ['10'], msg).rc).toBe(1);
    expect(wire(msg)).toBe(request('Max-Forwards: 20\r\n'));
  });

  test('out of range and wrongly typed values are refused with the position', async () => {
    await expect(ModuleHarness.create({ modules: ['maxfwd'], params: [['maxfwd', 'max_limit', 300]], cfgFile: '/etc/k.cfg' }))
      .rejects.toThrow('modparam("maxfwd", "max_limit"): maxfwd: max_limit must be 0..255, not 300');
    await expect(ModuleHarness.create({ modules: ['maxfwd'], params: [['maxfwd', 'max_limit', '20']] }))
      .rejects.toThrow('modparam: parameter "max_limit" of type str not found in module maxfwd (it takes an int)');
  });
});

describe('reply_483 (sipr extension; Kamailio leaves the reply to the config)', () => {
  test('sends 483 Too Many Hops through sl when the count reaches 0', async () => {
    const h = await ModuleHarness.create({ modules: ['maxfwd', 'sl'], params: [['maxfwd', 'reply_483', 1]] });
    const msg = h.message(request('Max-Forwards: 0\r\n').replace(';rport', ''), { port: 17070 });
    expect(h.call('mf_process_maxfwd_header', ['10'], msg).rc).toBe(-1);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].dst).toMatchObject({ address: '127.0.0.1', port: 17070 });
    const text = h.sentText()[0];
    const tag = /\r\nTo: [^\r]*;tag=([^\r]+)\r\n/.exec(text)![1];
    expect(text).toBe(
      'SIP/2.0 483 Too Many Hops\r\n'
      + 'Via: SIP/2.0/UDP 127.0.0.1:17070;branch=z9hG4bK-1\r\n'
      + 'From: <sip:a@127.0.0.1>;tag=1\r\n'
      + `To: <sip:bob@127.0.0.1>;tag=${tag}\r\n`
      + 'Call-ID: mf1\r\n'
      + 'CSeq: 1 OPTIONS\r\n'
      + 'Content-Length: 0\r\n\r\n',
    );
    await h.destroy();
  });

  test('without sl it is refused at init', async () => {
    await expect(ModuleHarness.create({ modules: ['maxfwd'], params: [['maxfwd', 'reply_483', 1]] }))
      .rejects.toThrow(/module maxfwd: init failed: reply_483 needs the sl module loaded/);
  });
});

describe('in-place rewrite (property)', () => {
  // one core at a time, as in a process: module state (max_limit) belongs to the last core made
  test.each([0, 1, 20, 70, 255])('with max_limit %i the field keeps its length and holds min(value, max_limit + 1) - 1, right-aligned', async (limit) => {
    const h = await ModuleHarness.create({ modules: ['maxfwd'], params: [['maxfwd', 'max_limit', limit]] });
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }),
      (value, zeros, before, after) => {
        const field = `${' '.repeat(before)}${'0'.repeat(zeros)}${value}${' '.repeat(after)}`;
        const msg = h.message(request(`Max-Forwards:${field}\r\n`));
        expect(h.call('mf_process_maxfwd_header', ['10'], msg).rc).toBe(1);
        const out = /\r\nMax-Forwards:([^\r]*)\r\n/.exec(wire(msg))![1];
        expect(out.length).toBe(field.length);
        const width = zeros + String(value).length;
        const expected = String(Math.min(value, limit + 1) - 1).padStart(width, ' ');
        expect(out).toBe(`${' '.repeat(before)}${expected}${' '.repeat(after)}`);
      },
    ), { numRuns: 100 });
    await h.destroy();
  });
});
