import { parseArgs, UsageError } from '../src/args';

describe('parseArgs', () => {
  test('kamailio-style flags', () => {
    const o = parseArgs(['-f', 'k.cfg', '-c', '-l', 'udp:127.0.0.1:5070', '-l', 'tcp:127.0.0.1', '-n', '4', '-A', 'WITH_NAT', '-A', 'DBURL=x=y', '-L', 'mods', '-E', '-D']);
    expect(o).toMatchObject({ cfgFile: 'k.cfg', check: true, listen: ['udp:127.0.0.1:5070', 'tcp:127.0.0.1'], children: 4, modulePaths: ['mods'], stderr: true, foreground: true, debug: 0 });
    expect([...o.defines]).toEqual([['WITH_NAT', undefined], ['DBURL', 'x=y']]);
  });
  test('grouped flags and attached values', () => {
    const o = parseArgs(['-ddcE', '-fmy.cfg', '-l127.0.0.1:5999', '-DD']);
    expect(o).toMatchObject({ debug: 2, check: true, stderr: true, cfgFile: 'my.cfg', listen: ['127.0.0.1:5999'], foreground: true });
  });
  test('long options', () => {
    expect(parseArgs(['--cfg-print', '--help', '--version'])).toMatchObject({ cfgPrint: true, help: true, version: true });
  });
  test.each([
    [['-x'], 'unknown option -x'],
    [['foo'], "unknown argument 'foo'"],
    [['--nope'], "unknown argument '--nope'"],
    [['-f'], 'option -f needs a value'],
    [['-n', '0'], "-n needs a number of workers >= 1, got '0'"],
    [['-n', 'two'], "-n needs a number of workers >= 1, got 'two'"],
    [['-A', '1X'], "-A needs NAME or NAME=VALUE, got '1X'"],
  ])('%j is refused: %s', (argv, msg) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(msg);
  });
});
