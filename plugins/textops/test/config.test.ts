/** textops and textopsx inside a whole config, fed through the server's message path. */
import { ModuleHarness } from '@sipr/sdk';

const CFG = `#!KAMAILIO
loadmodule "pv"
loadmodule "sl"
loadmodule "textops"
loadmodule "textopsx"

request_route {
	if (is_method("OPTIONS")) {
		if (search("^X-Secret:")) {
			append_to_reply("X-Seen: secret from $si\\r\\n");
			sl_send_reply("403", "Forbidden");
			exit;
		}
		sl_send_reply("200", "OK");
		exit;
	}
	remove_hf("User-Agent");
	subst_user('/^0([0-9]+)$/+49\\1/');
	if (has_body("application/sdp")) replace_body_all("IN IP4 10\\.0\\.0\\.1", "IN IP4 192.0.2.1");
	append_hf("X-Proxy: sipr\\r\\n", "Call-ID");
	msg_apply_changes();
	if (!is_present_hf("User-Agent") && is_present_hf("X-Proxy")) insert_hf("X-Applied: yes\\r\\n");
	$du = "sip:127.0.0.1:5080";
	forward();
}
`;

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const req = (method: string, ruri: string, extra = '', body = '') =>
  `${method} ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${method}\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\n`
  + `Call-ID: cfg-tx\r\nCSeq: 1 ${method}\r\nUser-Agent: phone/1.0\r\n${extra}${body ? 'Content-Type: application/sdp\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`;

let h: ModuleHarness;
beforeAll(async () => {
  h = await ModuleHarness.fromConfig(CFG);
});
afterAll(() => h.destroy());

test('an INVITE is rewritten (user, body, headers) and msg_apply_changes makes the edits visible', () => {
  const out = h.receive(req('INVITE', 'sip:030123@example.com', '', SDP));
  expect(out).toHaveLength(1);
  const text = out[0].buf.toString('latin1');
  const body = SDP.replace(/IN IP4 10\.0\.0\.1/g, 'IN IP4 192.0.2.1');
  expect(text).toMatch(/^INVITE sip:\+4930123@example\.com SIP\/2\.0\r\nX-Applied: yes\r\nVia: /);
  expect(text).toContain('\r\nCall-ID: cfg-tx\r\nX-Proxy: sipr\r\nCSeq: 1 INVITE\r\n');
  expect(text).not.toContain('User-Agent');
  expect(text.endsWith(`Content-Length: ${body.length}\r\n\r\n${body}`)).toBe(true);
});

test('append_to_reply headers appear in the reply sl sends', () => {
  const out = h.receive(req('OPTIONS', 'sip:x@127.0.0.1', 'X-Secret: 1\r\n'));
  const text = out[0].buf.toString('latin1');
  expect(text).toMatch(/^SIP\/2\.0 403 Forbidden\r\n/);
  expect(text).toContain('\r\nX-Seen: secret from 127.0.0.1\r\n');
  const plain = h.receive(req('OPTIONS', 'sip:x@127.0.0.1'))[0].buf.toString('latin1');
  expect(plain).toMatch(/^SIP\/2\.0 200 OK\r\n/);
  expect(plain).not.toContain('X-Seen');
});
