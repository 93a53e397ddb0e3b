/** ring_insert_callid: a 183 of a listed call arrives at the script as 180 Ringing without body. */
import { ModuleHarness } from '@sipr/sdk';

const CFG = `#!KAMAILIO
loadmodule "pv"
loadmodule "sl"
loadmodule "siputils"
loadmodule "xlog"
modparam("siputils", "ring_timeout", 10)

onreply_route {
	xlog("L_ERR", "[$rs] [$rr] cl=$cl ct=[$hdr(Content-Type)] body=[$rb]\\n");
	drop;
}

request_route {
	if ($rU == "ring") ring_insert_callid();
	drop;
}
`;

const SDP = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const invite = (user: string, callId: string) => `INVITE sip:${user}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${callId}\r\n`
  + `From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
const progress = (callId: string) => 'SIP/2.0 183 Session Progress\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-x\r\n'
  + `From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`;

test('183 of a listed call becomes 180 Ringing (reason padded to its length), other calls are left alone', async () => {
  const h = await ModuleHarness.fromConfig(CFG);
  h.receive(invite('ring', 'r1'));
  h.receive(invite('other', 'r2'));
  h.receive(progress('r1'));
  h.receive(progress('r2'));
  const lines = h.logs.map((l) => l.replace(/^\d+ ERROR: <script>: /, ''));
  expect(lines).toEqual([
    '[180] [Ringing         ] cl=0 ct=[<null>] body=[<null>]',
    `[183] [Session Progress] cl=${SDP.length} ct=[application/sdp] body=[${SDP}]`,
  ]);
  await h.destroy();
});

test('ring_insert_callid without a positive ring_timeout is a config error', async () => {
  await expect(ModuleHarness.fromConfig(CFG.replace('modparam("siputils", "ring_timeout", 10)\n', '')))
    .rejects.toThrow(/harness\.cfg:\d+:\d+: .*ring_insert_callid functionality deactivated, you need to set a positive ring_timeout/);
});
