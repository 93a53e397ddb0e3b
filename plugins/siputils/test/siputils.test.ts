import { ModuleHarness } from '@sipr/sdk';
import { RouteType } from '@sipr/core';

const req = (method: string, ruri: string, extra = '', toTag = '') =>
  `${method} ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-s1\r\nFrom: <sip:alice@example.org>;tag=f1\r\n`
  + `To: <sip:bob@example.com>${toTag}\r\nCall-ID: su1\r\nCSeq: 1 ${method}\r\n${extra}Content-Length: 0\r\n\r\n`;

let h: ModuleHarness;
beforeEach(async () => {
  h = await ModuleHarness.create({ modules: ['pv', 'sl', 'siputils'] });
});
afterEach(() => h.destroy());

test('has_totag', () => {
  expect(h.call('has_totag', [], h.message(req('BYE', 'sip:bob@example.com', '', ';tag=t9'))).rc).toBe(1);
  expect(h.call('has_totag', [], h.message(req('INVITE', 'sip:bob@example.com'))).rc).toBe(-1);
});

test('uri_param with and without value, on the current R-URI', () => {
  const m = h.message(req('INVITE', 'sip:bob@example.com;transport=tcp;lr'));
  expect(h.call('uri_param', ['lr'], m).rc).toBe(1);
  expect(h.call('uri_param', ['transport'], m).rc).toBe(-1);
  expect(h.call('uri_param', ['transport', 'tcp'], m).rc).toBe(1);
  expect(h.call('uri_param', ['transport', 'udp'], m).rc).toBe(-1);
  m.newUri = 'sip:bob@example.com;foo=bar';
  expect(h.call('uri_param', ['foo', 'bar'], m).rc).toBe(1);
});

test('add_uri_param appends, before URI headers when present', () => {
  const m = h.message(req('INVITE', 'sip:bob@example.com'));
  expect(h.call('add_uri_param', ['nat=yes'], m).rc).toBe(1);
  expect(m.newUri).toBe('sip:bob@example.com;nat=yes');
  const m2 = h.message(req('INVITE', 'sip:bob@example.com;a=1?Subject=x'));
  h.call('add_uri_param', ['b'], m2);
  expect(m2.newUri).toBe('sip:bob@example.com;a=1;b?Subject=x');
  expect(() => h.call('add_uri_param', ['b'], m2, RouteType.FAILURE)).toThrow(/cannot be used in this route type/);
});

test('tel2sip converts tel: URIs, leaves others', () => {
  const m = h.message(req('INVITE', 'tel:+1-(201)-555.0123;phone-context=Example.com'));
  expect(h.call('tel2sip', ['$ru', 'sip.example.net', '$ru'], m).rc).toBe(1);
  expect(m.newUri).toBe('sip:+12015550123;phone-context=example.com@sip.example.net;user=phone');
  const s = h.message(req('INVITE', 'sip:bob@example.com'));
  expect(h.call('tel2sip', ['$ru', 'x', '$var(out)'], s).rc).toBe(1);
  expect(s.newUri).toBeNull();
});

test('is_e164 and is_uri_user_e164', () => {
  const m = h.message(req('INVITE', 'sip:+4930123456@example.com'));
  expect(h.call('is_e164', ['$rU'], m).rc).toBe(1);
  expect(h.call('is_uri_user_e164', ['$ru'], m).rc).toBe(1);
  expect(h.call('is_e164', ['$fU'], m).rc).toBe(-1);
  expect(h.call('is_uri_user_e164', ['$fu'], m).rc).toBe(-1);
  const long = h.message(req('INVITE', 'sip:+1234567890123456@example.com'));
  expect(h.call('is_e164', ['$rU'], long).rc).toBe(-1);
});

test('is_user compares the user part of the digest username', () => {
  const auth = 'Proxy-Authorization: Digest username="alice@example.org", realm="example.org", nonce="n", uri="sip:bob@example.com", response="r"\r\n';
  const m = h.message(req('INVITE', 'sip:bob@example.com', auth));
  expect(h.call('is_user', ['alice'], m).rc).toBe(1);
  expect(h.call('is_user', ['bob'], m).rc).toBe(-1);
  expect(h.call('is_user', ['alice'], h.message(req('INVITE', 'sip:bob@example.com'))).rc).toBe(-1);
});

test('cmp_uri and cmp_aor', () => {
  const m = h.message(req('INVITE', 'sip:bob@example.com'));
  expect(h.call('cmp_uri', ['sip:bob@EXAMPLE.com;transport=udp', 'sip:bob@example.com;transport=UDP'], m).rc).toBe(1);
  expect(h.call('cmp_uri', ['sip:bob@example.com', 'sip:Bob@example.com'], m).rc).toBe(-1);
  expect(h.call('cmp_aor', ['sip:bob@example.com:5060;x=1', '$ru'], m).rc).toBe(1);
});

test('is_request / is_reply', () => {
  expect(h.call('is_request', [], h.message(req('INVITE', 'sip:b@c'))).rc).toBe(1);
  expect(h.call('is_reply', [], h.message(req('INVITE', 'sip:b@c'))).rc).toBe(-1);
});

test('options_reply answers OPTIONS to the server with the capability headers and stops the script', async () => {
  const hp = await ModuleHarness.create({ modules: ['sl', 'siputils'], params: [['siputils', 'options_support', 'path']] });
  const m = hp.message(req('OPTIONS', 'sip:127.0.0.1:5060'));
  expect(hp.call('options_reply', [], m).rc).toBe(0);
  const text = hp.sentText()[0];
  expect(text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
  expect(text).toContain('\r\nAccept: */*\r\nAccept-Encoding: \r\nAccept-Language: en\r\nSupported: path\r\n');
  expect(hp.call('options_reply', [], hp.message(req('OPTIONS', 'sip:bob@127.0.0.1'))).rc).toBe(-1);
  expect(hp.call('options_reply', [], hp.message(req('INFO', 'sip:127.0.0.1'))).rc).toBe(-1);
  expect(hp.sent).toHaveLength(1);
  await hp.destroy();
});

test('siputils refuses to start without sl', async () => {
  await expect(ModuleHarness.create({ modules: ['siputils'] })).rejects.toThrow(/needs the sl module/);
});
