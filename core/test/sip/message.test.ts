import { parseMessage, buildForward, SipParseError, type NameAddrValue, type SendInfo } from '../../src/sip';
import { crlf, rcvFrom, udpSocket } from './helpers';

const rcv = rcvFrom();

const register = crlf([
  'REGISTER sip:registrar.example.com SIP/2.0',
  'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;received=10.0.0.2;rport=5061;ttl=16;maddr=239.0.0.1',
  'f: Bob <sips:bob@example.com>;tag=a73kszlfl',
  't: Bob <sips:bob@example.com>',
  'i: 1j9FpLxk3uxtm8tn@10.0.0.1',
  'CSeq: 1 REGISTER',
  'm: <sips:bob@client.example.com>;expires=3600;q=0.7, "Mobile" <sip:bob@10.0.0.5>;+sip.instance="<urn:uuid:1>"',
  'Contact: <sip:bob@other.example.com>',
  'Authorization: Digest username="bob", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sips:example.com", response="dfe56131d1958046689d83306477ecc", qop=auth, nc=00000001, cnonce="0a4f113b", algorithm=MD5',
  'Proxy-Authorization: Digest username="carol", realm="p.example.com", nonce="n2", uri="sip:x", response="r2"',
  'k: path, gruu',
  'Supported: outbound',
  'Allow: INVITE, ACK, BYE',
  'o: presence;id=123',
  'Expires: 7200',
  'User-Agent: phone/1.0 (test)',
  'c: application/pidf+xml;charset=UTF-8',
  'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
  'Route: <sip:p3.example.com;lr>',
  'Record-Route: <sip:rr.example.com;lr>',
  'Content-Length: 0',
  '',
  '',
]);

describe('typed accessors', () => {
  const m = parseMessage(register, rcv);

  test('header lookup: compact and long names, any case', () => {
    expect(m.header('via')).toBe(m.header('V'));
    expect(m.header('VIA')!.name).toBe('v');
    expect(m.header('Call-ID')!.value).toBe('1j9FpLxk3uxtm8tn@10.0.0.1');
    expect(m.headerAll('contact').map((h) => h.name)).toEqual(['m', 'Contact']);
    expect(m.header('x-missing')).toBeUndefined();
    const h = m.header('cseq')!;
    expect(register.toString('latin1', h.start, h.end)).toBe('CSeq: 1 REGISTER\r\n');
  });

  test('Via params', () => {
    const v = m.via();
    expect([v.host, v.port, v.branch, v.received, v.rport, v.ttl, v.maddr]).toEqual(['10.0.0.1', 5060, 'z9hG4bKa', '10.0.0.2', '5061', '16', '239.0.0.1']);
  });

  test('Contacts across fields, with expires, q, quoted params', () => {
    const c = m.contacts() as NameAddrValue[];
    expect(c.map((x) => [x.display, x.uri, x.expires, x.q])).toEqual([
      ['', 'sips:bob@client.example.com', 3600, 0.7],
      ['Mobile', 'sip:bob@10.0.0.5', undefined, undefined],
      ['', 'sip:bob@other.example.com', undefined, undefined],
    ]);
    expect(c[1].param('+sip.instance')).toBe('"<urn:uuid:1>"');
    const star = parseMessage(crlf(['REGISTER sip:r SIP/2.0', 'Contact: *', 'Expires: 0', '', '']), rcv);
    expect(star.contacts()).toBe('*');
    const bad = parseMessage(crlf(['REGISTER sip:r SIP/2.0', 'Contact: *', 'Contact: <sip:a@b>', '', '']), rcv);
    expect(() => bad.contacts()).toThrow(SipParseError);
  });

  test('digest credentials', () => {
    const [a] = m.credentials('authorization');
    expect([a.scheme, a.username, a.realm, a.nonce, a.uri, a.qop, a.nc, a.cnonce, a.algorithm]).toEqual([
      'Digest', 'bob', 'example.com', 'ea9c8e88df84f1cec4341ae6cbe5a359', 'sips:example.com', 'auth', '00000001', '0a4f113b', 'MD5',
    ]);
    expect(m.credentials('proxy-authorization').map((c) => c.username)).toEqual(['carol']);
    expect(m.credentials('www-authenticate')).toEqual([]);
  });

  test('tokens, event, expires, user agent, content type, routes', () => {
    expect(m.tokens('supported')).toEqual(['path', 'gruu', 'outbound']);
    expect(m.tokens('allow')).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(m.tokens('require')).toEqual([]);
    expect(m.event()).toMatchObject({ name: 'presence', id: '123' });
    expect(m.expires()).toBe(7200);
    expect(m.userAgent()).toBe('phone/1.0 (test)');
    expect(m.server()).toBeUndefined();
    expect(m.contentType()).toMatchObject({ mediaType: 'application/pidf+xml', params: [{ name: 'charset', value: 'UTF-8' }] });
    expect(m.routes().map((r) => r.parsedUri.host)).toEqual(['p1.example.com', 'p2.example.com', 'p3.example.com']);
    expect(m.recordRoutes().map((r) => r.uri)).toEqual(['sip:rr.example.com;lr']);
    expect(m.from().parsedUri.scheme).toBe('sips');
    expect(m.to().tag).toBeUndefined();
  });

  test('requestUri follows newUri', () => {
    const r = parseMessage(register, rcv);
    expect(r.requestUri().host).toBe('registrar.example.com');
    r.newUri = 'sip:other@10.9.9.9:5080';
    expect([r.requestUri().host, r.requestUri().port]).toEqual(['10.9.9.9', 5080]);
    expect(r.uri().host).toBe('registrar.example.com');
  });

  test('accessors on missing headers', () => {
    const e = parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', '', '']), rcv);
    expect(() => e.via()).toThrow(expect.objectContaining({ where: 'via' }));
    expect(() => e.from()).toThrow(SipParseError);
    expect(e.vias()).toEqual([]);
    expect(e.maxForwards()).toBeUndefined();
    expect(e.contacts()).toEqual([]);
  });
});

describe('framing', () => {
  test.each([
    ['empty', ''],
    ['only CRLF', '\r\n\r\n'],
    ['no line end', 'OPTIONS sip:a@b SIP/2.0'],
    ['header without colon', 'OPTIONS sip:a@b SIP/2.0\r\nFoo bar\r\n\r\n'],
    ['folded first header', 'OPTIONS sip:a@b SIP/2.0\r\n x: y\r\n\r\n'],
    ['bad status', 'SIP/2.0 20 OK\r\n\r\n'],
    ['version', 'OPTIONS sip:a@b HTTP/1.1\r\n\r\n'],
  ])('%s -> SipParseError', (_why, text) => {
    expect(() => parseMessage(Buffer.from(text, 'latin1'), rcv)).toThrow(SipParseError);
  });

  test('leading CRLFs are skipped; bare LF line ends are accepted', () => {
    const m = parseMessage(Buffer.from('\r\n\r\nOPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\n ;branch=z9hG4bK2\nf:\n <sip:x@y>;tag=1\n\nbody'), rcv);
    expect(m.method).toBe('OPTIONS');
    expect(m.header('via')!.value).toBe('SIP/2.0/UDP h ;branch=z9hG4bK2');
    expect(m.via().branch).toBe('z9hG4bK2');
    expect([m.from().uri, m.from().tag]).toEqual(['sip:x@y', '1']);
    expect(m.body.toString()).toBe('body');
  });
});

describe('changes (lumps)', () => {
  const base = crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'X-One: 1', 'X-Two: 2', 'Content-Length: 3', '', 'abc']);

  test('insert before/after a field, replace a range, remove, reply headers; buffer untouched', () => {
    const m = parseMessage(base, rcv);
    const one = m.header('x-one')!;
    m.insertBefore(one, 'X-Before: b\r\n');
    m.insertAfter(one, 'X-After: a\r\n');
    m.removeHeader(m.header('x-two')!);
    m.replaceRange(m.ruriStart, m.ruriEnd, 'sip:z@y');
    m.addReplyHeader('X-Reply: r\r\n');
    expect(m.buf.equals(base)).toBe(true);
    m.applyChanges();
    expect(m.buf.toString('latin1')).toBe(
      crlf(['OPTIONS sip:z@y SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'X-Before: b', 'X-One: 1', 'X-After: a', 'Content-Length: 3', '', 'abc']).toString('latin1'),
    );
    expect(m.ruri).toBe('sip:z@y');
    expect(m.replyHeaders).toEqual(['X-Reply: r\r\n']);
  });

  test('dropChange undoes; overlapping removals are merged', () => {
    const m = parseMessage(base, rcv);
    const ch = m.appendHeader('X-Gone: 1\r\n');
    m.dropChange(ch);
    const two = m.header('x-two')!;
    m.removeHeader(two);
    m.removeRange(two.start + 2, two.end);
    m.applyChanges();
    expect(m.header('x-gone')).toBeUndefined();
    expect(m.header('x-two')).toBeUndefined();
    expect(m.header('x-one')!.value).toBe('1');
  });

  test('setBody with a Content-Type; Content-Length follows', () => {
    const m = parseMessage(base, rcv);
    m.setBody('{"a":1}', 'application/json');
    m.applyChanges();
    expect(m.contentType()!.mediaType).toBe('application/json');
    expect(m.contentLength()).toBe(7);
    expect(m.body.toString()).toBe('{"a":1}');
  });

  test('applyChanges that breaks the message throws and keeps the old state', () => {
    const m = parseMessage(base, rcv);
    m.prependHeader('no colon here\r\n');
    expect(() => m.applyChanges()).toThrow(SipParseError);
    expect(m.buf.equals(base)).toBe(true);
    expect(m.header('x-one')!.value).toBe('1');
  });

  test('send-time text: computed from the outgoing socket when the message is built', () => {
    const m = parseMessage(base, rcv);
    const rr = ({ socket }: SendInfo): string => `Record-Route: <sip:${socket ? `${socket.address}:${socket.port}` : 'unknown'};lr>\r\n`;
    m.prependHeader(rr);
    m.setBody('abcdef');
    const out = buildForward(m, { socket: udpSocket, markReceived: false }).toString('latin1');
    expect(out).toBe(
      crlf(['OPTIONS sip:a@b SIP/2.0', 'Record-Route: <sip:127.0.0.1:5060;lr>', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'X-One: 1', 'X-Two: 2', 'Content-Length: 6', '', 'abcdef']).toString('latin1'),
    );
    expect(buildForward(m).toString('latin1')).toContain('Record-Route: <sip:unknown;lr>\r\n');
    m.applyChanges();
    expect(m.header('record-route')!.value).toBe('<sip:unknown;lr>');
  });

  test('a change outside the message is a RangeError', () => {
    const m = parseMessage(base, rcv);
    expect(() => m.replaceRange(5, 2, 'x')).toThrow(RangeError);
    expect(() => m.replaceRange(0, base.length + 1, 'x')).toThrow(RangeError);
  });
});
