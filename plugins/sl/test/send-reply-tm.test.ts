/** send_reply with the real tm module: through the transaction when there is one. */
import { ModuleHarness } from '@sipr/sdk';

const CFG = `loadmodule "pv"
loadmodule "tm"
loadmodule "sl"
request_route {
  if ($rU == "stateful") {
    t_newtran();
  }
  send_reply("486", "Busy Here");
}
`;

const invite = (user: string) =>
  `INVITE sip:${user}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${user}\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\n`
  + `To: <sip:b@127.0.0.1>\r\nCall-ID: ${user}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;

test('send_reply answers through tm inside a transaction and statelessly outside one', async () => {
  const h = await ModuleHarness.fromConfig(CFG);
  try {
    const stateless = h.receive(invite('stateless')).map((p) => p.buf.toString('latin1'));
    const stateful = h.receive(invite('stateful')).map((p) => p.buf.toString('latin1'));
    expect(stateless.map((t) => t.split('\r\n')[0])).toEqual(['SIP/2.0 486 Busy Here']);
    expect(stateful.map((t) => t.split('\r\n')[0])).toEqual(['SIP/2.0 486 Busy Here']);
    const slTag = /;tag=[0-9a-f]{32}\.[0-9a-f]{4}\r\n/;
    // sl's To-tag layout in the stateless reply only: the other came from tm
    expect(stateless[0]).toMatch(slTag);
    expect(stateful[0]).not.toMatch(slTag);
    expect(h.core.modules.get('sl')!.descriptor.stats.find((s) => s.name === 'sent_replies')!.get!()).toBe(1);
  } finally {
    await h.destroy();
  }
});
