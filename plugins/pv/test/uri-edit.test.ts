import { setUriHost, setUriPort, setUriUser } from '../src/uri-edit';

describe('R-URI part rewrites keep the rest as written', () => {
  test.each<[string, string, string | null]>([
    ['sip:bob@example.com', 'carol', 'sip:carol@example.com'],
    ['sip:example.com;transport=tcp', 'carol', 'sip:carol@example.com;transport=tcp'],
    ['sip:bob:secret@example.com:5060', 'carol', 'sip:carol:secret@example.com:5060'],
    ['sip:bob@example.com', '', 'sip:example.com'],
    ['sip:bob:secret@example.com', '', 'sip::secret@example.com'],
    ['sips:bob@[2001:db8::1]:5061;lr', 'x', 'sips:x@[2001:db8::1]:5061;lr'],
    ['tel:+1555', 'x', 'tel:x@+1555'],
    ['nocolon', 'x', null],
  ])('user of %s = %j', (uri, user, want) => {
    expect(setUriUser(uri, user)).toBe(want);
  });

  test.each<[string, string, string | null]>([
    ['sip:bob@example.com:5080;x=1?h=v', 'h.example', 'sip:bob@h.example:5080;x=1?h=v'],
    ['sip:[2001:db8::1]:5061', 'h.example', 'sip:h.example:5061'],
    ['sip:bob@[2001:db8::1', 'h', null],
  ])('host of %s', (uri, host, want) => {
    expect(setUriHost(uri, host)).toBe(want);
  });

  test.each<[string, number | null, string]>([
    ['sip:bob@example.com:5080;x=1', 5090, 'sip:bob@example.com:5090;x=1'],
    ['sip:bob@example.com;x=1', 5090, 'sip:bob@example.com:5090;x=1'],
    ['sip:bob@example.com:5080;x=1', null, 'sip:bob@example.com;x=1'],
    ['sip:[::1]:5080', null, 'sip:[::1]'],
  ])('port of %s', (uri, port, want) => {
    expect(setUriPort(uri, port)).toBe(want);
  });
});
