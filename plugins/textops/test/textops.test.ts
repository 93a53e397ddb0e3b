import { ModuleHarness } from '@sipr/sdk';
import { RouteType, type SipMsg, type SipMessage } from '@sipr/core';

const SDP = 'v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const invite = (extra = '', body = '') =>
  'INVITE sip:bob@example.com;transport=udp SIP/2.0\r\n'
  + 'Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK-1\r\n'
  + 'From: Alice <sip:alice@example.org>;tag=a1\r\n'
  + 'To: <sip:bob@example.com>\r\n'
  + 'Call-ID: c1@10.0.0.1\r\n'
  + 'CSeq: 1 INVITE\r\n'
  + 'v: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-0\r\n'
  + extra
  + (body ? 'Content-Type: application/sdp\r\n' : '')
  + `Content-Length: ${body.length}\r\n\r\n${body}`;

/** The message as it would go out: pending changes applied. */
function wire(msg: SipMessage): string {
  const m = msg as SipMsg;
  m.applyChanges();
  return m.buf.toString('latin1');
}

let h: ModuleHarness;
beforeEach(async () => {
  h = await ModuleHarness.create({ modules: ['pv', 'textops'] });
});
afterEach(() => h.destroy());

describe('search family', () => {
  test('search looks at the whole message, case-insensitively, ^ per line', () => {
    const m = h.message(invite());
    expect(h.call('search', ['^invite sip:bob'], m).rc).toBe(1);
    expect(h.call('search', ['^call-id: c1'], m).rc).toBe(1);
    expect(h.call('search', ['^Call-ID: c2'], m).rc).toBe(-1);
  });

  test('search_body only in the body; an empty body never matches', () => {
    expect(h.call('search_body', ['m=audio'], h.message(invite('', SDP))).rc).toBe(1);
    expect(h.call('search_body', ['INVITE'], h.message(invite('', SDP))).rc).toBe(-1);
    expect(h.call('search_body', ['.*'], h.message(invite())).rc).toBe(-1);
  });

  test('search_append inserts after the first match in the headers', () => {
    const m = h.message(invite());
    expect(h.call('search_append', ['tag=a1', ';x=1'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite().replace('tag=a1', 'tag=a1;x=1'));
  });

  test('a bad regex is refused at start, and so is one that could backtrack without end', () => {
    expect(() => h.call('search', ['a(b'], h.message(invite()))).toThrow(/search\(?\)?: parameter 1:? bad regular expression "a\(b"/);
    expect(() => h.call('search', ['(a+)+$'], h.message(invite()))).toThrow(/backtrack/);
  });

  test('POSIX bracket classes work', () => {
    expect(h.call('search', ['^CSeq: [[:digit:]]+ [[:upper:]]+'], h.message(invite())).rc).toBe(1);
    expect(h.call('search', ['^CSeq: [[:alpha:]]'], h.message(invite())).rc).toBe(-1);
  });
});

describe('replace and subst', () => {
  test('replace changes the first match, never the request line', () => {
    const m = h.message(invite());
    expect(h.call('replace', ['bob', 'carol'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite().replace('To: <sip:bob', 'To: <sip:carol'));
  });

  test('replace_all changes every match', () => {
    const m = h.message(invite());
    expect(h.call('replace_all', ['z9hG4bK-', 'z9hG4bKx'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite().replace(/z9hG4bK-/g, 'z9hG4bKx'));
    expect(h.call('replace_all', ['nothere', 'x'], h.message(invite())).rc).toBe(-1);
  });

  test('replace_body and replace_body_all fix Content-Length', () => {
    const m = h.message(invite('', SDP));
    expect(h.call('replace_body_all', ['10\\.0\\.0\\.1', '192.168.100.200'], m).rc).toBe(1);
    const body = SDP.replace(/10\.0\.0\.1/g, '192.168.100.200');
    expect(wire(m)).toBe(invite('', body));
  });

  test('subst with groups, flags and a pseudo-variable', () => {
    const m = h.message(invite());
    expect(h.call('subst', ['/^(From: )Alice (.*)$/\\1"$ci" \\2/'], m).rc).toBe(1);
    expect(wire(m)).toContain('\r\nFrom: "c1@10.0.0.1" <sip:alice@example.org>;tag=a1\r\n');
  });

  test('^ matches at every line by default; with s only at the start of the headers, and . crosses lines', () => {
    const m = h.message(invite());
    expect(h.call('subst', ['/^(Call-ID: )c1/\\1x1/'], m).rc).toBe(1);
    expect(wire(m)).toContain('\r\nCall-ID: x1@10.0.0.1\r\n');
    expect(h.call('subst', ['/^From: Alice/X/s'], h.message(invite())).rc).toBe(-1);
    const v = h.message(invite());
    expect(h.call('subst', ['/^Via: (.*)From/Via: \\1Fr/s'], v).rc).toBe(1);
    expect(wire(v)).toContain('\r\nFr: Alice');
  });

  test('\\u in the replacement is the current R-URI', () => {
    const m = h.message(invite());
    m.newUri = 'sip:new@10.9.9.9';
    expect(h.call('subst', ['/^To: .*$/To: <\\u>/'], m).rc).toBe(1);
    expect(wire(m)).toContain('\r\nTo: <sip:new@10.9.9.9>\r\n');
  });

  test('subst is case-sensitive without i, global with g', () => {
    expect(h.call('subst', ['/^from:/X:/'], h.message(invite())).rc).toBe(-1);
    const m = h.message(invite());
    expect(h.call('subst', ['/branch=z9hG4bK-([[:digit:]])/branch=B\\1/gi'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite().replace('branch=z9hG4bK-1', 'branch=B1').replace('branch=z9hG4bK-0', 'branch=B0'));
  });

  test('subst expressions are checked at start', () => {
    expect(() => h.call('subst', ['/a/b'], h.message(invite()))).toThrow(/bad subst expression/);
    expect(() => h.call('subst', ['/a/\\1/'], h.message(invite()))).toThrow(/\\1 but only 0 groups/);
    expect(() => h.call('subst', ['/a/b/q'], h.message(invite()))).toThrow(/unknown flag 'q'/);
  });

  test('subst_uri rewrites the R-URI ($ru), subst_user only the user', () => {
    const m = h.message(invite());
    expect(h.call('subst_uri', ['/^sip:([a-z]+)@example\\.com(.*)$/sip:\\1@10.1.1.1\\2/'], m).rc).toBe(1);
    expect(m.newUri).toBe('sip:bob@10.1.1.1;transport=udp');
    expect(h.call('subst_user', ['/^b(.*)$/+49\\1/'], m).rc).toBe(1);
    expect(m.newUri).toBe('sip:+49ob@10.1.1.1;transport=udp');
    expect(h.call('subst_user', ['/^zzz$/y/'], m).rc).toBe(-1);
  });
});

describe('headers', () => {
  test('append_hf after the last header, or after the named one; with PVs', () => {
    const m = h.message(invite());
    expect(h.call('append_hf', ['X-Src: $si\\r\\n'.replace('\\r\\n', '\r\n')], m).rc).toBe(1);
    expect(h.call('append_hf', ['X-After-To: 1\r\n', 'To'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite()
      .replace('To: <sip:bob@example.com>\r\n', 'To: <sip:bob@example.com>\r\nX-After-To: 1\r\n')
      .replace('Content-Length: 0\r\n', 'Content-Length: 0\r\nX-Src: 127.0.0.1\r\n'));
  });

  test('insert_hf before the first header, or before the named one (compact form matches)', () => {
    const m = h.message(invite());
    h.call('insert_hf', ['X-First: 1\r\n'], m);
    h.call('insert_hf', ['X-Before-Via: 1\r\n', 'Via'], m);
    expect(wire(m)).toBe(invite().replace('SIP/2.0\r\nVia', 'SIP/2.0\r\nX-First: 1\r\nX-Before-Via: 1\r\nVia'));
  });

  test('remove_hf removes every field of that header, long and compact forms', () => {
    const m = h.message(invite());
    expect(h.call('remove_hf', ['Via'], m).rc).toBe(1);
    expect(wire(m)).not.toMatch(/^(Via|v):/m);
    expect(h.call('remove_hf', ['X-None'], h.message(invite())).rc).toBe(-1);
  });

  test('remove_hf_re and is_present_hf_re match header names', () => {
    const m = h.message(invite('X-A: 1\r\nX-B: 2\r\n'));
    expect(h.call('is_present_hf_re', ['^x-'], m).rc).toBe(1);
    expect(h.call('remove_hf_re', ['^X-'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite());
    expect(h.call('is_present_hf_re', ['^x-'], h.message(invite())).rc).toBe(-1);
  });

  test('search_hf and subst_hf on the bodies of one header, all / first / last field', () => {
    const m = h.message(invite('X-N: one\r\nX-N: two\r\n'));
    expect(h.call('search_hf', ['X-N', '^tw', 'a'], m).rc).toBe(1);
    expect(h.call('search_hf', ['X-N', '^tw', 'f'], m).rc).toBe(-1);
    expect(h.call('search_hf', ['X-N', '^tw', 'l'], m).rc).toBe(1);
    expect(h.call('search_hf', ['Via', 'branch=z9hG4bK-0', ''], m).rc).toBe(1);
    expect(h.call('subst_hf', ['X-N', '/o/0/g', 'f'], m).rc).toBe(1);
    expect(h.call('subst_hf', ['X-N', '/^(t)w/\\1W/', 'l'], m).rc).toBe(1);
    expect(wire(m)).toContain('\r\nX-N: 0ne\r\nX-N: tWo\r\n');
    expect(() => h.call('search_hf', ['X-N', 'x', 'z'], m)).toThrow(/unknown flag "z"/);
  });

  test('is_present_hf', () => {
    const m = h.message(invite());
    expect(h.call('is_present_hf', ['call-id'], m).rc).toBe(1);
    expect(h.call('is_present_hf', ['i'], m).rc).toBe(1);
    expect(h.call('is_present_hf', ['Route'], m).rc).toBe(-1);
  });

  test('append_urihf adds prefix + original R-URI + suffix', () => {
    const m = h.message(invite());
    m.newUri = 'sip:changed@x';
    h.call('append_urihf', ['X-Uri: <', '>\r\n'], m);
    expect(wire(m)).toContain('Content-Length: 0\r\nX-Uri: <sip:bob@example.com;transport=udp>\r\n\r\n');
  });

  test('append_to_reply headers show up in replies built for the request', async () => {
    const hs = await ModuleHarness.create({ modules: ['pv', 'textops', 'sl'] });
    const m = hs.message(invite());
    expect(hs.call('append_to_reply', ['X-Reason: $rm from $si\r\n'], m).rc).toBe(1);
    expect(hs.call('sl_send_reply', ['404', 'Not Here'], m).rc).toBe(1);
    expect(hs.sentText()[0]).toMatch(/^SIP\/2\.0 404 Not Here\r\n[^]*\r\nX-Reason: INVITE from 127\.0\.0\.1\r\n[^]*\r\n\r\n$/);
    expect(() => hs.call('append_to_reply', ['X: 1\r\n'], m, RouteType.ONREPLY)).toThrow(/cannot be used in this route type/);
    await hs.destroy();
  });

  test('set_reply_body: body and Content-Type in the reply, in order with append_to_reply headers', async () => {
    const hs = await ModuleHarness.create({ modules: ['pv', 'textops', 'sl'] });
    const m = hs.message(invite());
    expect(hs.call('set_reply_body', ['hello $rU', 'text/plain'], m).rc).toBe(1);
    expect(hs.call('append_to_reply', ['X-After: 1\r\n'], m).rc).toBe(1);
    expect(hs.call('sl_send_reply', ['200', 'OK'], m).rc).toBe(1);
    expect(hs.sentText()[0]).toMatch(/\r\nContent-Type: text\/plain\r\nX-After: 1\r\n[^]*Content-Length: 9\r\n\r\nhello bob$/);
    expect(hs.call('set_reply_body', ['', 'text/plain'], hs.message(invite())).rc).toBe(-1);
    expect(() => hs.call('set_reply_body', ['b', 'text/plain'], m, RouteType.ONREPLY)).toThrow(/cannot be used in this route type/);
    await hs.destroy();
  });

  test('append_time adds an RFC 1123 Date header to replies', () => {
    const m = h.message(invite()) as SipMsg;
    h.call('append_time', [], m);
    expect(m.replyHeaders[0]).toMatch(/^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT\r\n$/);
  });
});

describe('method, body and strings', () => {
  test('is_method with one name or a list; replies use the CSeq method', () => {
    const m = h.message(invite());
    expect(h.call('is_method', ['INVITE'], m).rc).toBe(1);
    expect(h.call('is_method', ['invite'], m).rc).toBe(1);
    expect(h.call('is_method', ['BYE|INVITE'], m).rc).toBe(1);
    expect(h.call('is_method', ['BYE|CANCEL'], m).rc).toBe(-1);
    const reply = h.message('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKa\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n');
    expect(h.call('is_method', ['BYE'], reply, RouteType.ONREPLY).rc).toBe(1);
    expect(() => h.call('is_method', ['FOO|BAR'], m)).toThrow(/unknown method "FOO"/);
  });

  test('has_body with and without a type', () => {
    expect(h.call('has_body', [], h.message(invite('', SDP))).rc).toBe(1);
    expect(h.call('has_body', [], h.message(invite())).rc).toBe(-1);
    expect(h.call('has_body', ['application/sdp'], h.message(invite('', SDP))).rc).toBe(1);
    expect(h.call('has_body', ['text/plain'], h.message(invite('', SDP))).rc).toBe(-1);
  });

  test('replace_body_atonce treats the body as one string', () => {
    const m = h.message(invite('', SDP));
    expect(h.call('replace_body_atonce', ['^v=0.*s=-\r\n', 'v=0\r\n'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite('', SDP.replace(/^v=0[^]*s=-\r\n/, 'v=0\r\n')));
    expect(h.call('replace_body_atonce', ['^c=IN', 'x'], h.message(invite('', SDP))).rc).toBe(-1);
  });

  test('is_audio_on_hold: sendonly/inactive on the audio stream or the session, or 0.0.0.0', () => {
    expect(h.call('is_audio_on_hold', [], h.message(invite('', SDP))).rc).toBe(-1);
    expect(h.call('is_audio_on_hold', [], h.message(invite('', SDP + 'a=sendonly\r\n'))).rc).toBe(1);
    expect(h.call('is_audio_on_hold', [], h.message(invite('', SDP.replace('t=0 0', 't=0 0\r\na=inactive')))).rc).toBe(1);
    expect(h.call('is_audio_on_hold', [], h.message(invite('', SDP.replace('c=IN IP4 10.0.0.1', 'c=IN IP4 0.0.0.0')))).rc).toBe(1);
    expect(h.call('is_audio_on_hold', [], h.message(invite('', SDP.replace('m=audio', 'm=video') + 'a=sendonly\r\n'))).rc).toBe(-1);
    expect(h.call('is_audio_on_hold', [], h.message(invite('', SDP.replace('t=0 0', 't=0 0\r\na=sendonly') + 'a=sendrecv\r\n'))).rc).toBe(-1);
  });

  test('is_privacy', () => {
    const m = h.message(invite('Privacy: id; header\r\n'));
    expect(h.call('is_privacy', ['id'], m).rc).toBe(1);
    expect(h.call('is_privacy', ['session'], m).rc).toBe(-1);
    expect(() => h.call('is_privacy', ['secret'], m)).toThrow(/invalid privacy value/);
  });

  test('set_body replaces body and Content-Type, Content-Length follows', () => {
    const m = h.message(invite('', SDP));
    expect(h.call('set_body', ['hello $rU', 'text/plain'], m).rc).toBe(1);
    expect(wire(m)).toBe(invite('', 'hello bob').replace('application/sdp', 'text/plain'));
  });

  test('filter_body keeps the first part of the given type', () => {
    const mp = '--b1\r\nContent-Type: application/sdp\r\n\r\n' + SDP + '--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b1--\r\n';
    const m = h.message(invite('Content-Type: multipart/mixed;boundary=b1\r\n', '').replace('Content-Length: 0\r\n\r\n', `Content-Length: ${mp.length}\r\n\r\n${mp}`));
    expect(h.call('filter_body', ['application/sdp'], m).rc).toBe(1);
    const part = SDP.slice(0, -2);
    expect(wire(m).endsWith(`Content-Length: ${part.length}\r\n\r\n${part}`)).toBe(true);
    expect(h.call('filter_body', ['application/sdp'], h.message(invite('', SDP))).rc).toBe(-1);
  });

  test('cmp_str, cmp_istr, starts_with, in_list', () => {
    const m = h.message(invite());
    expect(h.call('cmp_str', ['$rU', 'bob'], m).rc).toBe(1);
    expect(h.call('cmp_str', ['$rU', 'Bob'], m).rc).toBe(-1);
    expect(h.call('cmp_istr', ['$rU', 'Bob'], m).rc).toBe(1);
    expect(h.call('starts_with', ['$ru', 'sip:bo'], m).rc).toBe(1);
    expect(h.call('in_list', ['$rU', 'alice, bob ,carol', ','], m).rc).toBe(1);
    expect(h.call('in_list', ['$rU', 'alice,carol', ','], m).rc).toBe(-1);
    expect(() => h.call('in_list', ['$rU', 'a', ',,'], m)).toThrow(/invalid separator/);
  });
});
