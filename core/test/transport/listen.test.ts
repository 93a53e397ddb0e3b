import { parseListen, listenSpecs } from '../../src/transport/listen';
import { SiprError } from '../../src/errors';

describe('parseListen', () => {
  test('proto, address and port', () => {
    expect(parseListen('udp:127.0.0.1:5070', 5060)).toEqual([{ proto: 'udp', address: '127.0.0.1', port: 5070, text: 'udp:127.0.0.1:5070' }]);
  });
  test('no proto opens udp and tcp; no port takes the default', () => {
    expect(parseListen('127.0.0.1', 5080).map((s) => `${s.proto}:${s.address}:${s.port}`)).toEqual(['udp:127.0.0.1:5080', 'tcp:127.0.0.1:5080']);
  });
  test('disable_tcp keeps udp only for items without proto', () => {
    expect(parseListen('127.0.0.1', 5060, true).map((s) => s.proto)).toEqual(['udp']);
    expect(parseListen('tcp:127.0.0.1', 5060, true).map((s) => s.proto)).toEqual(['tcp']);
  });
  test('IPv6 in brackets, with and without port', () => {
    expect(parseListen('tcp:[::1]:5062', 5060)[0]).toMatchObject({ proto: 'tcp', address: '::1', port: 5062 });
    expect(parseListen('[::1]', 5060).map((s) => s.port)).toEqual([5060, 5060]);
  });
  test('hostname and * wildcard', () => {
    expect(parseListen('udp:localhost:5060', 5060)[0].address).toBe('localhost');
    expect(parseListen('*:5099', 5060).map((s) => `${s.proto}:${s.address}:${s.port}`)).toEqual(['udp:0.0.0.0:5099', 'tcp:0.0.0.0:5099']);
  });
  test('an interface name stands for its addresses', () => {
    const lo = parseListen('udp:lo:5070', 5060).map((s) => s.address);
    expect(lo).toContain('127.0.0.1');
    expect(lo.every((a) => !a.startsWith('fe80'))).toBe(true);
    expect(parseListen('lo', 5060).filter((s) => s.address === '127.0.0.1').map((s) => s.proto)).toEqual(['udp', 'tcp']);
  });
  test.each([
    ['udp:127.0.0.1:70000', "listen udp:127.0.0.1:70000: bad port '70000'"],
    ['udp:127.0.0.1:x', "listen udp:127.0.0.1:x: bad port 'x'"],
    ['::1', 'listen ::1: IPv6 addresses must be written in brackets'],
    ['tcp:[::1', 'listen tcp:[::1: missing ] after IPv6 address'],
    ['udp::5060', 'listen udp::5060: missing address'],
    ['udp:a_b:5060', "listen udp:a_b:5060: bad address 'a_b'"],
  ])('%s is refused with one line', (text, msg) => {
    let err: unknown;
    try { parseListen(text, 5060); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SiprError);
    expect((err as SiprError).message).toBe(msg);
    expect((err as SiprError).code).toBe('SIPR_LISTEN');
  });
});

describe('listenSpecs', () => {
  test('default is udp+tcp on 127.0.0.1 and the port', () => {
    expect(listenSpecs([], 5090).map((s) => `${s.proto}:${s.address}:${s.port}`)).toEqual(['udp:127.0.0.1:5090', 'tcp:127.0.0.1:5090']);
  });
  test('space separated items, duplicates removed', () => {
    expect(listenSpecs(['udp:127.0.0.1:5070 tcp:127.0.0.1:5070', 'udp:127.0.0.1:5070'], 5060).map((s) => s.proto)).toEqual(['udp', 'tcp']);
  });
});
