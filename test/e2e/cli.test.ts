/**
 * The `sipr` command's check mode and flags: exit codes and the exact lines printed.
 * Ports 15200-15219 (only parsed here, never bound).
 */
import { runSipr, TempDir } from './helpers/sipr';

describe('sipr -c (check only)', () => {
  const dir = new TempDir();
  afterAll(() => dir.remove());

  test('the default config checks clean', async () => {
    const r = await runSipr(['-c', '-f', 'examples/default.cfg']);
    expect(r.stderr).toBe('examples/default.cfg: config file ok, exiting...\n');
    expect(r.code).toBe(0);
  });

  test('every error is printed as file:line:column: message, exit 1, no stack', async () => {
    const file = dir.write('bad.cfg', [
      'loadmodule "sl"',
      '',
      'request_route {',
      '\tsl_send_reply("200");',
      '\tfoo_bar(1);',
      '\tif ($x == ) exit;',
      '}',
      '',
    ].join('\n'));
    const r = await runSipr(['-c', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean).sort()).toEqual([
      `${file}:4:2: unknown command 'sl_send_reply' with 1 parameter(s), missing loadmodule?`,
      `${file}:5:2: unknown command 'foo_bar' with 1 parameter(s), missing loadmodule?`,
      `${file}:6:12: unexpected ')' in an expression`,
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('a bad global and an unknown module are located', async () => {
    const file = dir.write('bad2.cfg', 'children=x\nloadmodule "nosuchmod"\nrequest_route {\n\texit;\n}\n');
    const r = await runSipr(['-c', '-f', file]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toContain(`${file}:1:1: children needs a number, found 'x'`);
    expect(lines.some((l) => l.startsWith(`${file}:2:1: loadmodule "nosuchmod": module not found`))).toBe(true);
    expect(lines).toHaveLength(2);
  });

  test('a listen value the transports cannot use is refused by the check', async () => {
    const r = await runSipr(['-c', '-f', 'examples/default.cfg', '-l', 'udp:127.0.0.1:99999']);
    expect(r.stderr).toBe("listen udp:127.0.0.1:99999: bad port '99999'\n");
    expect(r.code).toBe(1);
  });

  test('a missing config file is one line', async () => {
    const r = await runSipr(['-c', '-f', 'no/such.cfg']);
    expect(r.stderr).toBe("cannot read config file no/such.cfg: ENOENT: no such file or directory, open 'no/such.cfg'\n");
    expect(r.code).toBe(1);
  });

  test('-A defines reach the preprocessor; --cfg-print shows the result', async () => {
    const file = dir.write('defs.cfg', '#!ifdef WITH_OPTS\nchildren=2\n#!else\nchildren=nonsense\n#!endif\nrequest_route {\n\texit;\n}\n');
    const printed = await runSipr(['--cfg-print', '-f', file, '-A', 'WITH_OPTS']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('children=2');
    expect(printed.stdout).not.toContain('nonsense');
    expect((await runSipr(['-c', '-f', file, '-A', 'WITH_OPTS'])).code).toBe(0);
    const without = await runSipr(['-c', '-f', file]);
    expect(without.code).toBe(1);
    expect(without.stderr).toBe(`${file}:4:1: children needs a number, found 'nonsense'\n`);
  });
});

describe('sipr flags', () => {
  test('-L adds a module directory', async () => {
    const dir = new TempDir();
    try {
      const file = dir.write('hello.cfg', 'loadmodule "sipr-mod-hello"\nrequest_route {\n\thello("you");\n}\n');
      const without = await runSipr(['-c', '-f', file]);
      expect(without.code).toBe(1);
      expect(without.stderr).toMatch(/:1:1: loadmodule "sipr-mod-hello": module not found/);
      const withL = await runSipr(['-c', '-f', file, '-L', 'test/fixtures']);
      expect(withL.stderr).toBe(`${file}: config file ok, exiting...\n`);
      expect(withL.code).toBe(0);
    } finally {
      dir.remove();
    }
  });

  test('-h prints the usage and exits 0', async () => {
    const r = await runSipr(['-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sipr \[options\]/);
    expect(r.stdout).toContain('-f FILE');
  });

  test('-V prints the version', async () => {
    const r = await runSipr(['-V']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sipr \d+\.\d+\.\d+ \(node v\d+/);
  });

  test('an unknown option is one line and exit 1', async () => {
    const r = await runSipr(['-x']);
    expect(r.stderr).toBe('sipr: unknown option -x (sipr -h for help)\n');
    expect(r.code).toBe(1);
  });

  test('no -f is refused', async () => {
    const r = await runSipr(['-E']);
    expect(r.stderr).toBe('sipr: no config file given (use -f FILE)\n');
    expect(r.code).toBe(1);
  });
});
