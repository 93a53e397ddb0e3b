import { ModuleHarness } from '@sipr/sdk';
import { LogLevel } from '@sipr/core';

const req = 'OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:20954;branch=z9hG4bK-p\r\nFrom: <sip:a@x>;tag=ft1\r\n'
  + 'To: <sip:b@y>\r\nCall-ID: xl1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

/** log lines without the pid, as kamailio 5.6 printed them for the same calls */
const lines = (h: ModuleHarness) => h.logs.map((l) => l.replace(/^\d+ /, ''));

test('levels, default ERR, PV levels and the debug threshold (as kamailio 5.6 logs them)', async () => {
  const h = await ModuleHarness.create({ modules: ['pv', 'xlog'], debug: LogLevel.INFO });
  const m = h.message(req);
  const ctx = h.context(m);
  expect(h.call('xlog', ['no level $ci\n'], ctx).rc).toBe(1);
  h.call('xlog', ['L_DBG', 'debug hidden\n'], ctx);
  h.call('xlog', ['L_NOTICE', 'notice shown\n'], ctx);
  h.call('xdbg', ['xdbg hidden\n'], ctx);
  h.call('xlog', ['L_INFO', 'two\nlines\n'], ctx);
  h.call('xlog', ['L_WARN', '$rm from $si:$sp'], ctx);
  (h.core.pv.parse('$var(l)')).set(ctx, 1);
  h.call('xlog', ['$var(l)', 'level var\n'], ctx);
  expect(lines(h)).toEqual([
    'ERROR: <script>: no level xl1',
    'NOTICE: <script>: notice shown',
    'INFO: <script>: two\nlines',
    'WARNING: <script>: OPTIONS from 127.0.0.1:5070',
    'NOTICE: <script>: level var',
  ]);
  await h.destroy();
});

test('xlogl prefixes the config line of the call', async () => {
  const h = await ModuleHarness.create({ modules: ['pv', 'xlog'] });
  h.call('xlogl', ['L_ERR', 'hello $rm\n'], h.message(req));
  expect(lines(h)[0]).toMatch(/^ERROR: <script>: \d+:hello OPTIONS$/);
  await h.destroy();
});

test('bad levels and formats are refused at start; a non-integer PV level fails at run time', async () => {
  const h = await ModuleHarness.create({ modules: ['pv', 'xlog'] });
  expect(() => h.call('xlog', ['L_XYZ', 'x'], h.message(req))).toThrow(/unknown log level "L_XYZ"/);
  expect(() => h.call('xlog', ['L_ERR', '$nosuchpv(x'], h.message(req))).toThrow(/xlog/);
  expect(h.call('xlog', ['$rm', 'x'], h.message(req)).rc).toBe(-1);
  expect(lines(h)).toContain('ERROR: xlog: invalid log level value [OPTIONS]');
  await h.destroy();
});

test('buf_size truncates the printed line', async () => {
  const h = await ModuleHarness.create({ modules: ['pv', 'xlog'], params: [['xlog', 'buf_size', 5]] });
  h.call('xlog', ['abcdefgh\n'], h.message(req));
  expect(lines(h)).toEqual(['ERROR: <script>: abcde']);
  await h.destroy();
});

test('$C colours only with force_color (or log_stderror)', async () => {
  const h = await ModuleHarness.create({ modules: ['pv', 'xlog'], params: [['xlog', 'force_color', 1]] });
  h.call('xlog', ['$C(rx)red$C(Bg)x$C(xx)\n'], h.message(req));
  expect(lines(h)).toEqual(['ERROR: <script>: \x1b[0;31;49mred\x1b[1;34;42mx\x1b[0;39;49m']);
  const plain = await ModuleHarness.create({ modules: ['pv', 'xlog'] });
  plain.call('xlog', ['$C(Rb)bold$C(xx)\n'], plain.message(req));
  expect(lines(plain)).toEqual(['ERROR: <script>: bold']);
  expect(() => plain.call('xlog', ['$C(zz)'], plain.message(req))).toThrow(/invalid color name "zz"/);
  await h.destroy();
  await plain.destroy();
});
