/**
 * Reply-side pseudo-variables and selects against kamailio 5.6: sipr and kamailio relay an
 * OPTIONS statefully to a UAS this test plays; their onreply_route appends the values to the
 * reply in an X-PV header, and the header must be equal. Ports 19064-19068. Skipped without kamailio.
 */
import type { Socket } from 'node:dgram';
import { arrived, describeWithKamailio, differingPieces, KamailioDiff, sendAndWait } from './helpers/kamailio';

const K_PORT = 19064;
const S_PORT = 19065;
const UAC_PORT = 19066;
const UAS_PORT = 19067;

const CASES = [
  '$rs', '$rr', '$rm', '$ru', '$fu', '$tu', '$tt', '$ci', '$cs', '$ct', '$ua', '$hdr(Server)', '$sel(via[2].branch)', '$sel(via[2].rport)',
  '$sel(status)', '$sel(reason)', '$sel(msg.response.code)', '$sel(msg.type)', '$sel(via[1].host)', '$sel(to.tag)',
  '$sel(cseq.method)', '$sel(@method)', '$(rr{s.toupper})', '$(ct{tobody.uri}{uri.port})', '$T_reply_code',
];

function config(port: number): string {
  return `#!KAMAILIO
listen=udp:127.0.0.1:${port}
loadmodule "pv"
loadmodule "sl"
loadmodule "tm"
loadmodule "tmx"
loadmodule "textops"
request_route {
  if (method == "ACK") exit;
  t_on_reply("R");
  t_relay();
  exit;
}
onreply_route[R] {
  append_hf("X-PV: ${CASES.join('|')}\\r\\n");
}
`;
}

function options(n: number): Buffer {
  return Buffer.from([
    `OPTIONS sip:uas@127.0.0.1:${UAS_PORT} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${UAC_PORT};branch=z9hG4bKpvrpl${n};rport`,
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=a73k',
    `To: <sip:uas@127.0.0.1:${UAS_PORT}>`,
    `Call-ID: pvrpl-${n}@atlanta.example.com`,
    'CSeq: 7 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'));
}

/** The UAS: answer every request with a fixed 486 whose headers the proxies' PVs read. */
function answer(uas: Socket): void {
  uas.on('message', (m, rinfo) => {
    const text = m.toString('latin1');
    const head = text.split('\r\n\r\n')[0].split('\r\n');
    const keep = head.filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l)).map((l) => (/^To:/i.test(l) ? `${l};tag=uas-1` : l));
    const reply = ['SIP/2.0 486 Busy Here Now', ...keep, 'Contact: <sip:uas@127.0.0.1:5099;transport=udp>', 'Server: test-uas/1', 'Content-Length: 0', '', ''].join('\r\n');
    uas.send(Buffer.from(reply, 'latin1'), rinfo.port, rinfo.address);
  });
}

/** Send one OPTIONS through a proxy; resolve with the X-PV header of the final reply. */
async function ask(uac: Socket, n: number, proxyPort: number): Promise<string> {
  const reply = await sendAndWait(uac, options(n), proxyPort, (t) => t.includes(`pvrpl-${n}@`) && t.startsWith('SIP/2.0 486'), 3000);
  const line = arrived(reply, `reply through port ${proxyPort}`).split('\r\n').find((l) => l.startsWith('X-PV:'));
  return line ?? '(no X-PV header)';
}

describeWithKamailio('pv-reply-diff')('reply pseudo-variables: sipr vs kamailio 5.6', () => {
  const diff = new KamailioDiff();
  let uac: Socket;

  beforeAll(async () => {
    answer(await diff.udp(UAS_PORT));
    uac = await diff.udp(UAC_PORT);
    await diff.start(config(K_PORT), config(S_PORT));
    await diff.untilKamailioAnswers((i) => ask(uac, 900 + i, K_PORT), 8);
  }, 30000);

  afterAll(() => diff.stop());

  test('onreply_route values', async () => {
    const k = await ask(uac, 1, K_PORT);
    const s = await ask(uac, 1, S_PORT);
    const values = (line: string) => line.replace(/^X-PV: /, '');
    expect(differingPieces(CASES, values(k), values(s))).toEqual([]);
    expect(s).toBe(k);
    expect(values(k).split('|')[0]).toBe('486');
  });
});
