/** event_route[sl:filtered-ack] runs for ACKs to sl's own replies, which never reach request_route. */
import { ModuleHarness } from '@sipr/sdk';

const CFG = `loadmodule "sl"
request_route {
  if (method == "ACK") {
    forward("127.0.0.1", 17091);
    exit;
  }
  sl_send_reply("486", "Busy Here");
}
event_route[sl:filtered-ack] {
  forward("127.0.0.1", 17090);
}
`;

const msg = (method: string, toTag = '') =>
  `${method} sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-fa\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\n`
  + `To: <sip:b@127.0.0.1>${toTag}\r\nCall-ID: fa1\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`;

test('the ACK to our 486 goes to the event route, another ACK to the request route', async () => {
  const h = await ModuleHarness.fromConfig(CFG);
  try {
    const [reply] = h.receive(msg('INVITE'));
    const tag = /\r\nTo: [^\r]*(;tag=[^\r]+)\r\n/.exec(reply.buf.toString('latin1'))![1];
    expect(h.receive(msg('ACK', tag)).map((p) => p.dst.port)).toEqual([17090]);
    expect(h.receive(msg('ACK', ';tag=from-elsewhere')).map((p) => p.dst.port)).toEqual([17091]);
  } finally {
    await h.destroy();
  }
});
