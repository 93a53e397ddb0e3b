/** rr inside a whole config, fed through the server's message path (ModuleHarness.fromConfig). */
import { ModuleHarness } from '@sipr/sdk';

const CFG = `#!KAMAILIO
loadmodule "pv"
loadmodule "sl"
loadmodule "rr"
loadmodule "siputils"
loadmodule "textops"
modparam("rr", "append_fromtag", 1)

request_route {
	if (has_totag()) {
		if (loose_route()) {
			if (check_route_param("nat=yes")) append_hf("X-Nat: yes\\r\\n");
			if (is_direction("upstream")) append_hf("X-Dir: up\\r\\n");
			forward();
			exit;
		}
		sl_send_reply("404", "Not here");
		exit;
	}
	add_rr_param(";nat=yes");
	record_route();
	$du = "sip:127.0.0.1:5080";
	forward();
}
`;

const req = (method: string, ruri: string, extra: string, fromTag = 'ft1', toTag = '') =>
  `${method} ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${method}\r\nMax-Forwards: 70\r\n`
  + `From: <sip:a@x>;tag=${fromTag}\r\nTo: <sip:b@y>${toTag}\r\nCall-ID: cfg-rr\r\nCSeq: 1 ${method}\r\n${extra}Content-Length: 0\r\n\r\n`;

let h: ModuleHarness;
beforeAll(async () => {
  h = await ModuleHarness.fromConfig(CFG);
});
afterAll(() => h.destroy());

test('an initial INVITE leaves with our Record-Route (and its param) above the new Via', () => {
  const out = h.receive(req('INVITE', 'sip:bob@10.0.0.1', ''));
  expect(out).toHaveLength(1);
  expect(out[0].dst).toMatchObject({ address: '127.0.0.1', port: 5080 });
  const text = out[0].buf.toString('latin1');
  expect(text).toMatch(/^INVITE sip:bob@10\.0\.0\.1 SIP\/2\.0\r\nRecord-Route: <sip:127\.0\.0\.1;lr;ftag=ft1;nat=yes>\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1(:5060)?;branch=z9hG4bK[^\r]+\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1:5070;branch=z9hG4bK-INVITE/);
});

test('a BYE from the callee side: our entry consumed, params and direction seen, sent to the next Route', () => {
  const route = 'Route: <sip:127.0.0.1;lr;ftag=ft1;nat=yes>, <sip:10.0.0.50:5070;lr>\r\n';
  const out = h.receive(req('BYE', 'sip:a@10.0.0.2', route, 'calleeTag', ';tag=ft1'));
  expect(out).toHaveLength(1);
  expect(out[0].dst).toMatchObject({ address: '10.0.0.50', port: 5070 });
  const text = out[0].buf.toString('latin1');
  expect(text).toMatch(/^BYE sip:a@10\.0\.0\.2 SIP\/2\.0\r\n/);
  expect(text).toContain('\r\nRoute: <sip:10.0.0.50:5070;lr>\r\n');
  expect(text).not.toContain('sip:127.0.0.1;lr');
  expect(text).toContain('\r\nX-Nat: yes\r\nX-Dir: up\r\n');
});

test('an in-dialog request without a Route set is answered 404 by the config', () => {
  const out = h.receive(req('BYE', 'sip:a@10.0.0.2', '', 'ft1', ';tag=t2'));
  expect(out.map((p) => p.buf.toString('latin1').split('\r\n')[0])).toEqual(['SIP/2.0 404 Not here']);
});
