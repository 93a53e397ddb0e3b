/**
 * sl replies against replies kamailio 5.6.3 sent for the same requests (captured on this machine
 * with sl_send_reply / sl_reply_error, udp 127.0.0.1:17060, client 127.0.0.1:17070). Tag values
 * are compared by shape; Kamailio's Server header (server_signature) is not sl's and is dropped.
 */
import { ModuleHarness } from '@sipr/sdk';

const invite = (user: string, b: number, via = `127.0.0.1:17070;branch=z9hG4bK-${b};rport`) =>
  `INVITE sip:${user}@127.0.0.1:17060 SIP/2.0\r\nVia: SIP/2.0/UDP ${via}\r\nFrom: <sip:alice@127.0.0.1>;tag=abc\r\n`
  + `To: <sip:bob@127.0.0.1>\r\nCall-ID: c${b}@127.0.0.1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;

const reply = (status: string, b: number, via: string, toTag: boolean, extra = '') =>
  `SIP/2.0 ${status}\r\nVia: SIP/2.0/UDP ${via}\r\nFrom: <sip:alice@127.0.0.1>;tag=abc\r\n`
  + `To: <sip:bob@127.0.0.1>${toTag ? ';tag=2580992359066b42b513252e6d502cf5.26619f67' : ''}\r\nCall-ID: c${b}@127.0.0.1\r\nCSeq: 1 INVITE\r\n`
  + `${extra}Server: kamailio (5.6.3 (x86_64/linux))\r\nContent-Length: 0\r\n\r\n`;

const RPORTED = (b: number) => `127.0.0.1:17070;branch=z9hG4bK-${b};rport=17070;received=127.0.0.1`;

/** tag values by shape, no Server header, and (for the known difference) the Via line set aside */
function normalise(text: string, dropVia = false): string {
  let t = text.replace(/;tag=[0-9a-f]{32}\.[0-9a-f]+\r\n/, ';tag=<sl-tag>\r\n').replace(/Server: [^\r]*\r\n/, '');
  if (dropVia) t = t.replace(/Via: [^\r]*\r\n/, '');
  return t;
}

interface Case {
  name: string;
  req: string;
  args: [string, string] | [];
  kamailio: string;
  moved?: boolean;
}

const cases: Case[] = [
  { name: '404 with rport', req: invite('bob', 1), args: ['404', 'Not Here'], kamailio: reply('404 Not Here', 1, RPORTED(1), true) },
  {
    name: '302 carries the target set', req: invite('moved', 2), args: ['302', 'Moved'], moved: true,
    kamailio: reply('302 Moved', 2, RPORTED(2), true, 'Contact: <sip:x@10.0.0.1>, <sip:y@10.0.0.2>\r\n'),
  },
  { name: 'sl_reply_error', req: invite('err', 3), args: [], kamailio: reply("500 I'm terribly sorry, server error occurred (1/SL)", 3, RPORTED(3), true) },
  { name: '100 has no To-tag', req: invite('trying', 4), args: ['100', 'Trying'], kamailio: reply('100 Trying', 4, RPORTED(4), false) },
  { name: '183 has a To-tag', req: invite('r183', 5), args: ['183', 'Progress'], kamailio: reply('183 Progress', 5, RPORTED(5), true) },
  { name: 'no rport, same host', req: invite('bob', 7, '127.0.0.1:17070;branch=z9hG4bK-7'), args: ['404', 'Not Here'], kamailio: reply('404 Not Here', 7, '127.0.0.1:17070;branch=z9hG4bK-7', true) },
  {
    name: 'no rport, host is a name', req: invite('bob', 8, 'localhost:17070;branch=z9hG4bK-8'), args: ['404', 'Not Here'],
    kamailio: reply('404 Not Here', 8, 'localhost:17070;branch=z9hG4bK-8;received=127.0.0.1', true),
  },
];

async function sipr(c: Case): Promise<{ text: string; port: number }> {
  const h = await ModuleHarness.create({ modules: ['sl'] });
  const ctx = h.context(h.message(c.req, { port: 17070 }));
  if (c.moved) {
    ctx.msg.newUri = 'sip:x@10.0.0.1';
    ctx.branches.push({ uri: 'sip:y@10.0.0.2', dstUri: null, path: null, q: -1, flags: 0, socket: null });
  }
  expect(h.call(c.args.length ? 'sl_send_reply' : 'sl_reply_error', c.args, ctx).rc).toBe(1);
  expect(h.sent).toHaveLength(1);
  return { text: h.sentText()[0], port: h.sent[0].dst.port };
}

describe('sl replies match kamailio 5.6 (Via aside)', () => {
  test.each(cases)('$name', async (c) => {
    const { text, port } = await sipr(c);
    expect(port).toBe(17070);
    expect(normalise(text, true)).toBe(normalise(c.kamailio, true));
  });
});

describe('Via of the reply', () => {
  test.each(cases)('$name', async (c) => {
    expect(normalise((await sipr(c)).text)).toBe(normalise(c.kamailio));
  });
});

test('a 150 reply has no To-tag, as in kamailio', async () => {
  const { text } = await sipr({ name: '150', req: invite('r150', 6), args: ['150', 'Hmm'], kamailio: '' });
  expect(text).toContain('\r\nTo: <sip:bob@127.0.0.1>\r\n');
});
