import { ModuleHarness } from '@sipr/sdk';

const base = {
  first: 'INVITE sip:bob@example.com SIP/2.0',
  via: 'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-san',
  from: 'From: <sip:alice@example.org>;tag=f1',
  to: 'To: <sip:bob@example.com>',
  callid: 'Call-ID: san1',
  cseq: 'CSeq: 7 INVITE',
  extra: '',
  body: '',
  cl: undefined as string | undefined,
};
function req(o: Partial<typeof base> = {}): string {
  const r = { ...base, ...o };
  const lines = [r.first, r.via, r.from, r.to, r.callid, r.cseq].filter((l) => l !== '');
  return lines.join('\r\n') + '\r\n' + r.extra + `Content-Length: ${r.cl ?? r.body.length}\r\n\r\n` + r.body;
}

let h: ModuleHarness;
beforeEach(async () => {
  h = await ModuleHarness.create({ modules: ['sl', 'sanity'], params: [['sanity', 'proxy_require', 'foo, bar']] });
});
afterEach(() => h.destroy());

/** status line of the one reply sent, or null */
const replied = () => (h.sent.length ? h.sentText()[h.sent.length - 1].split('\r\n')[0] : null);

test('a good request passes every default check and gets no reply', () => {
  expect(h.call('sanity_check', [], h.message(req())).rc).toBe(1);
  expect(h.call('sanity_check', ['4095', '7'], h.message(req({ extra: 'Contact: <sip:a@10.0.0.1>\r\nExpires: 60\r\n' }))).rc).toBe(1);
  expect(h.sent).toHaveLength(0);
});

test.each([
  ['CSeq method differs', { cseq: 'CSeq: 7 BYE' }, 'SIP/2.0 400 CSeq method does not match request method'],
  ['CSeq number not a number', { cseq: 'CSeq: 7x INVITE' }, 'SIP/2.0 400 CSeq number is illegal'],
  ['CSeq number too big', { cseq: 'CSeq: 4294967297 INVITE' }, 'SIP/2.0 400 CSeq number is illegal'],
  ['Call-ID missing', { callid: '' }, 'SIP/2.0 400 Missing Required Header in Request'],
  ['Content-Length wrong', { body: 'hello', cl: '3' }, 'SIP/2.0 400 Content-Length mis-match'],
  ['Expires not a number', { extra: 'Expires: soon\r\n' }, 'SIP/2.0 400 Expires value is illegal'],
  ['R-URI scheme unknown', { first: 'INVITE http://example.com/ SIP/2.0' }, 'SIP/2.0 416 Unsupported URI Scheme in Request URI'],
  ['unsupported Proxy-Require', { extra: 'Proxy-Require: foo, baz\r\n' }, 'SIP/2.0 420 Bad Extension'],
])('%s -> reply and the script stops (0)', (_name, o, status) => {
  const m = h.message(req(o));
  expect(h.call('sanity_check', [], m).rc).toBe(0);
  expect(replied()).toBe(status);
});

test('CSeq 4294967296 passes, as in kamailio (it compares digits with that string)', () => {
  expect(h.call('sanity_check', ['64'], h.message(req({ cseq: 'CSeq: 4294967296 INVITE' }))).rc).toBe(1);
});

test('420 lists the unsupported extension', () => {
  h.call('sanity_check', [], h.message(req({ extra: 'Proxy-Require: bar,qux\r\n' })));
  expect(h.sentText()[0]).toContain('\r\nUnsupported: qux\r\n');
});

test('only the selected checks run', () => {
  const m = h.message(req({ cseq: 'CSeq: 7 BYE' }));
  expect(h.call('sanity_check', ['64'], m).rc).toBe(1);
  expect(h.call('sanity_check', ['32'], m).rc).toBe(0);
});

test('parse URIs (1024) with uri checks: From, To, Contact', () => {
  expect(h.call('sanity_check', ['1024', '2'], h.message(req({ from: 'From: <sip:@>;tag=1' }))).rc).toBe(0);
  expect(replied()).toMatch(/^SIP\/2\.0 400 Bad From (header|URI)$/);
});

test('the Contact check (uri bit 8) is only reachable through modparam uri_checks, as in Kamailio', async () => {
  const h2 = await ModuleHarness.create({ modules: ['sl', 'sanity'], params: [['sanity', 'uri_checks', 15]] });
  expect(h2.call('sanity_check', ['1024'], h2.message(req({ extra: 'Contact: <sip:a@10.0.0.1>\r\n' }))).rc).toBe(1);
  expect(h2.call('sanity_check', ['1024'], h2.message(req({ extra: 'Contact: <sip:a@10.0.0.1\r\n' }))).rc).toBe(0);
  expect(h2.sentText()[0]).toMatch(/^SIP\/2\.0 400 Bad Contact (Header|URI)\r\n/);
  await h2.destroy();
});

test('digest credentials need username, nonce and response (no reply)', () => {
  const bad = 'Authorization: Digest username="", realm="r", nonce="n", uri="sip:b@c", response="x"\r\n';
  const good = 'Authorization: Digest username="a", realm="r", nonce="n", uri="sip:b@c", response="x"\r\n';
  expect(h.call('sanity_check', ['2048'], h.message(req({ extra: bad }))).rc).toBe(0);
  expect(h.sent).toHaveLength(0);
  expect(h.call('sanity_check', ['2048'], h.message(req({ extra: good }))).rc).toBe(1);
});

test('ACKs fail silently', () => {
  const m = h.message(req({ first: 'ACK sip:bob@example.com SIP/2.0', cseq: 'CSeq: 7 INVITE' }));
  expect(h.call('sanity_check', [], m).rc).toBe(0);
  expect(h.sent).toHaveLength(0);
});

test('check values are validated at start', () => {
  expect(() => h.call('sanity_check', ['4096'], h.message(req()))).toThrow(/outside of valid range 1-4095/);
  expect(() => h.call('sanity_check', ['1', '8'], h.message(req()))).toThrow(/outside of valid range 1-7/);
});

test('autodrop=0 returns -1 and lets the script go on', async () => {
  const h2 = await ModuleHarness.create({ modules: ['sl', 'sanity'], params: [['sanity', 'autodrop', 0]] });
  expect(h2.call('sanity_check', [], h2.message(req({ cseq: 'CSeq: 7 BYE' }))).rc).toBe(-1);
  expect(h2.sent).toHaveLength(1);
  await h2.destroy();
});
