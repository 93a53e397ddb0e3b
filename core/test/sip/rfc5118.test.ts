/** RFC 5118 IPv6 torture messages (archive bytes with bare LF, and the CRLF wire copies). */
import { parseMessage, checkMessage, buildReply, replyDestination, SipParseError, type SipMsg } from '../../src/sip';
import { corpusFile, rcvFrom, touchAll } from './helpers';

const rcv = rcvFrom('2001:db8::9:1', 5060);
const VALID = [
  'ipv4-mapped-ipv6', 'ipv6-bug-abnf-3-colons', 'ipv6-correct-abnf-2-colons', 'ipv6-good', 'ipv6-in-sdp', 'mult-ip-in-header',
  'mult-ip-in-sdp', 'port-ambiguous', 'port-unambiguous', 'via-received-param-no-delim', 'via-received-param-with-delim',
];
// archive files whose Content-Length counts CRLF line ends their LF-only bodies do not have
const ARCHIVE_LENGTH_WRONG = ['ipv6-in-sdp', 'mult-ip-in-sdp'];

function semantics(m: SipMsg): unknown {
  return {
    method: m.method,
    ruri: m.isRequest ? [m.uri().host, m.uri().port] : null,
    vias: m.vias().map((v) => [v.transport, v.host, v.port, v.received ?? null]),
    to: m.to().parsedUri.host,
    contacts: m.find('contact') ? (m.contacts() as SipMsg['contacts'] extends () => infer R ? Exclude<R, '*'> : never).map((c) => c.parsedUri.host) : [],
  };
}

describe('RFC 5118', () => {
  test.each(VALID)('%s: wire copy parses and passes checks; archive copy agrees', (name) => {
    const wire = parseMessage(corpusFile(`rfc5118/wire/valid/${name}`), rcv);
    expect(checkMessage(wire)).toBeNull();
    expect(touchAll(wire)).toBe(0);
    const archive = corpusFile(`rfc5118/valid/${name}`);
    if (ARCHIVE_LENGTH_WRONG.includes(name)) {
      expect(() => parseMessage(archive, rcv)).toThrow(expect.objectContaining({ where: 'content-length' }));
    } else {
      const a = parseMessage(archive, rcv);
      expect(checkMessage(a)).toBeNull();
      expect(semantics(a)).toEqual(semantics(wire));
    }
  });

  test('values', () => {
    const w = (n: string): SipMsg => parseMessage(corpusFile(`rfc5118/wire/valid/${n}`), rcv);
    const good = w('ipv6-good');
    expect([good.uri().host, good.uri().port]).toEqual(['[2001:db8::10]', 0]);
    expect(good.via().host).toBe('[2001:db8::9:1]');
    expect(w('port-ambiguous').uri().host).toBe('[2001:db8::10:5070]');
    expect(w('port-ambiguous').uri().port).toBe(0);
    expect([w('port-unambiguous').uri().host, w('port-unambiguous').uri().port]).toEqual(['[2001:db8::10]', 5070]);
    expect(w('via-received-param-with-delim').via().received).toBe('[2001:db8::9:255]');
    expect(w('via-received-param-no-delim').via().received).toBe('2001:db8::9:255');
    expect(w('mult-ip-in-header').vias().map((v) => [v.transport, v.host, v.port, v.received])).toEqual([
      ['UDP', '[2001:db8::9:1]', 6050, undefined],
      ['UDP', '192.0.2.1', 0, undefined],
      ['TCP', '[2001:db8::9:255]', 0, '192.0.2.200'],
    ]);
    expect(w('ipv4-mapped-ipv6').vias().map((v) => [v.host, v.port])).toEqual([
      ['[::ffff:192.0.2.10]', 19823],
      ['[::ffff:192.0.2.2]', 0],
    ]);
    expect(w('ipv6-bug-abnf-3-colons').uri().host).toBe('[2001:db8:::192.0.2.1]');
    expect(w('ipv6-in-sdp').body.toString('latin1')).toContain('c=IN IP6 2001:db8::20');
  });

  test('ipv6-bad: unbracketed IPv6 host in the Request-URI is a 400', () => {
    for (const f of ['rfc5118/invalid/ipv6-bad', 'rfc5118/wire/invalid/ipv6-bad']) {
      const m = parseMessage(corpusFile(f), rcv);
      expect(() => m.uri()).toThrow(SipParseError);
      expect(checkMessage(m)).toEqual({ code: 400, reason: 'Bad Request-URI' });
    }
  });

  test('replies to an IPv6 source: received written as Kamailio does (no brackets)', () => {
    const m = parseMessage(corpusFile('rfc5118/wire/valid/ipv6-good'), rcvFrom('2001:db8::99', 5062));
    expect(buildReply(m, 200, 'OK', { toTag: 'a' }).toString('latin1')).toContain(
      'Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111;received=2001:db8::99\r\n',
    );
    expect(replyDestination(m)).toMatchObject({ address: '2001:db8::99', port: 5060 });
    const same = parseMessage(corpusFile('rfc5118/wire/valid/ipv6-good'), rcvFrom('2001:DB8::9:1', 5060));
    expect(buildReply(same, 200, 'OK', { toTag: 'a' }).toString('latin1')).toContain('branch=z9hG4bKas3-111\r\n');
  });
});
