/**
 * Reply-side pseudo-variables and selects against kamailio 5.6: sipr and kamailio relay an
 * OPTIONS statefully to a UAS this test plays; their onreply_route appends the values to the
 * reply in an X-PV header, and the header must be equal. Ports 19064-19068. Skipped without kamailio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSipr, type SiprProcess } from './helpers/sipr';

const KAMAILIO = '/usr/sbin/kamailio';
const KMODS = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
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
function ask(uac: Socket, n: number, proxyPort: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      uac.off('message', onMsg);
      reject(new Error(`no reply through port ${proxyPort}`));
    }, 3000);
    const onMsg = (m: Buffer) => {
      const text = m.toString('latin1');
      if (!text.includes(`pvrpl-${n}@`) || !text.startsWith('SIP/2.0 486')) return;
      clearTimeout(timer);
      uac.off('message', onMsg);
      const line = text.split('\r\n').find((l) => l.startsWith('X-PV:'));
      resolve(line ?? '(no X-PV header)');
    };
    uac.on('message', onMsg);
    uac.send(options(n), proxyPort, '127.0.0.1');
  });
}

const haveKamailio = existsSync(KAMAILIO) && existsSync(KMODS);
const maybe = haveKamailio ? describe : describe.skip;

maybe('reply pseudo-variables: sipr vs kamailio 5.6', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipr-pvrpl-'));
  let kam: ChildProcess | undefined;
  let kamErr = '';
  let sipr: SiprProcess | undefined;
  let uac: Socket;
  let uas: Socket;

  beforeAll(async () => {
    writeFileSync(join(dir, 'k.cfg'), config(K_PORT));
    writeFileSync(join(dir, 's.cfg'), config(S_PORT));
    uas = createSocket('udp4');
    await new Promise<void>((r) => uas.bind(UAS_PORT, '127.0.0.1', () => r()));
    answer(uas);
    uac = createSocket('udp4');
    await new Promise<void>((r) => uac.bind(UAC_PORT, '127.0.0.1', () => r()));
    kam = spawn(KAMAILIO, ['-f', join(dir, 'k.cfg'), '-DD', '-E', '-n', '1', '-L', KMODS, '-Y', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    kam.stderr!.on('data', (d) => { kamErr += d; });
    sipr = await startSipr(['-f', join(dir, 's.cfg'), '-n', '1']);
    for (let i = 0; ; i++) {
      try {
        await ask(uac, 900 + i, K_PORT);
        break;
      } catch (e) {
        if (i >= 7) throw new Error(`kamailio did not answer: ${kamErr}`);
      }
    }
  }, 30000);

  afterAll(async () => {
    uac?.close();
    uas?.close();
    if (kam && kam.exitCode === null) {
      kam.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (kam.exitCode === null) kam.kill('SIGKILL');
    }
    await sipr?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('onreply_route values', async () => {
    const k = await ask(uac, 1, K_PORT);
    const s = await ask(uac, 1, S_PORT);
    const kv = k.replace(/^X-PV: /, '').split('|');
    const sv = s.replace(/^X-PV: /, '').split('|');
    const diff = CASES.map((c, i) => (kv[i] !== sv[i] ? `${c}: kamailio ${JSON.stringify(kv[i])} sipr ${JSON.stringify(sv[i])}` : '')).filter(Boolean);
    expect(diff).toEqual([]);
    expect(s).toBe(k);
    expect(kv[0]).toBe('486');
  });
});
