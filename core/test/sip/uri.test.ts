import { parseUri, uriEquals, SipParseError } from '../../src/sip';

describe('parseUri', () => {
  test('sip URI parts', () => {
    const u = parseUri('sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?subject=hi&priority=urgent');
    expect([u.scheme, u.user, u.password, u.host, u.port, u.headers]).toEqual(['sips', 'alice', 'secret', '[2001:db8::1]', 5061, 'subject=hi&priority=urgent']);
    expect(u.params).toEqual([{ name: 'transport', value: 'tcp' }, { name: 'lr', value: null }]);
    expect(u.param('TRANSPORT')).toBe('tcp');
    expect(u.param('lr')).toBeNull();
    expect(u.param('maddr')).toBeUndefined();
    expect(parseUri('SIP:example.com').scheme).toBe('sip');
  });

  test('tel and other schemes', () => {
    const t = parseUri('tel:+1-201-555-0123;phone-context=example.com');
    expect([t.scheme, t.user, t.host, t.param('phone-context')]).toEqual(['tel', '+1-201-555-0123', '', 'example.com']);
    const o = parseUri('urn:service:sos');
    expect([o.scheme, o.raw, o.user, o.host]).toEqual(['urn', 'urn:service:sos', '', '']);
  });

  test.each([
    ['no scheme', 'alice@example.com'],
    ['empty host', 'sip:alice@'],
    ['space', 'sip:alice@example.com; lr'],
    ['bad port', 'sip:example.com:5x'],
    ['port too big', 'sip:example.com:70000'],
    ['IPv6 without brackets', 'sip:2001:db8::10'],
    ['bad IPv6', 'sip:[2001:db8::zz]'],
    ['bad escape', 'sip:a%4@example.com'],
    ['empty param', 'sip:example.com;;lr'],
    ['angle brackets', '<sip:example.com>'],
    ['empty user', 'sip:@example.com'],
  ])('rejects %s', (_why, text) => {
    expect(() => parseUri(text)).toThrow(SipParseError);
  });
});

describe('uriEquals (RFC 3261 19.1.4)', () => {
  test.each([
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    ['sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'],
    ['sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'],
    ['tel:+1-201-555-0123', 'tel:+12015550123'],
  ])('equal: %s == %s', (a, b) => {
    expect(uriEquals(a, b)).toBe(true);
    expect(uriEquals(b, a)).toBe(true);
  });

  test.each([
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
    ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'],
    ['sip:alice@example.com', 'sips:alice@example.com'],
    ['sip:alice:pw@example.com', 'sip:alice@example.com'],
  ])('different: %s != %s', (a, b) => {
    expect(uriEquals(a, b)).toBe(false);
    expect(uriEquals(b, a)).toBe(false);
  });
});
