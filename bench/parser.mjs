// `npm run bench:parser`: SIP message layer throughput on one core, against the npm `sip` package
// in the same run. (a) first line + header split, (b) full parse of a ~1 kB INVITE touching the
// headers a proxy reads, (c) parse + new Via + build for forwarding. Uses the built core/dist.
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sipr = require(join(root, 'core/dist/sip/index.js'));
const peer = require('sip');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

const sdp = [
  'v=0', 'o=alice 2890844526 2890844526 IN IP4 192.0.2.101', 's=-', 'c=IN IP4 192.0.2.101', 't=0 0',
  'm=audio 49170 RTP/AVP 0 8 97', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:97 iLBC/8000', 'a=sendrecv', '',
].join('\r\n');
const invite = Buffer.from([
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKnashds8;received=192.0.2.101',
  'Max-Forwards: 70',
  'From: "Alice Liddell" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  'To: "Bob" <sip:bob@biloxi.example.com>',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 31862 INVITE',
  'Contact: <sip:alice@client.atlanta.example.com;transport=udp>',
  'Record-Route: <sip:p1.atlanta.example.com;lr>',
  'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO',
  'Supported: replaces, timer, 100rel',
  'User-Agent: Example SIP phone 1.2.3',
  'Session-Expires: 1800',
  'Content-Type: application/sdp',
  `Content-Length: ${sdp.length}`,
  '',
  sdp,
].join('\r\n'), 'latin1');

const rcv = {
  srcIp: '192.0.2.101', srcPort: 5060, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4,
  socket: { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' },
};
const via = { transport: 'UDP', host: '127.0.0.1', port: 5060, branch: 'z9hG4bKsipr0', rport: false };

let sink = 0;
const cases = {
  split: {
    sipr: () => { sink += sipr.parseMessage(invite, rcv).headers.length; },
    peer: () => { sink += Object.keys(peer.parse(invite).headers).length; },
  },
  parse: {
    sipr: () => {
      const m = sipr.parseMessage(invite, rcv);
      sink += m.vias().length + m.from().tag.length + m.to().uri.length + m.cseq().num + m.callId().length
        + m.contacts().length + m.maxForwards();
    },
    peer: () => {
      const m = peer.parse(invite);
      const h = m.headers;
      sink += h.via.length + h.from.params.tag.length + h.to.uri.length + h.cseq.seq + h['call-id'].length
        + h.contact.length + +h['max-forwards'];
    },
  },
  forward: {
    sipr: () => {
      const m = sipr.parseMessage(invite, rcv);
      m.maxForwards();
      sink += sipr.buildForward(m, { via, decrementMaxForwards: true }).length;
    },
    peer: () => {
      const m = peer.parse(invite);
      m.headers.via.unshift({ version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: 5060, params: { branch: 'z9hG4bKsipr0' } });
      m.headers['max-forwards'] = +m.headers['max-forwards'] - 1;
      sink += peer.stringify(m).length;
    },
  },
};

// The machine is shared: sipr and the peer run in alternating short slices and each is charged
// the CPU time of its own slices, so both see the same background load.
function measure(a, b) {
  for (let i = 0; i < 20000; i++) { a(); b(); } // warm up the JIT
  const runs = [{ fn: a, n: 0, cpu: 0 }, { fn: b, n: 0, cpu: 0 }];
  const rounds = Math.max(2, Math.round(SECONDS / 0.1));
  for (let r = 0; r < rounds; r++) {
    for (const run of runs) {
      const end = process.hrtime.bigint() + 50_000_000n;
      const c0 = process.cpuUsage();
      do {
        for (let i = 0; i < 200; i++) run.fn();
        run.n += 200;
      } while (process.hrtime.bigint() < end);
      const c = process.cpuUsage(c0);
      run.cpu += (c.user + c.system) / 1e6;
    }
  }
  return runs.map((run) => run.n / run.cpu);
}

const fmt = (r) => `${Math.round(r).toLocaleString('en-US').padStart(11)} msg/s`;
const labels = {
  split: '(a) first line + header split',
  parse: '(b) full parse, 7 headers read',
  forward: '(c) parse + Via + build forward',
};
console.log(`INVITE of ${invite.length} bytes; ~${SECONDS}s per case, rates per CPU-second; node ${process.version}`);
for (const [name, c] of Object.entries(cases)) {
  const [a, b] = measure(c.sipr, c.peer);
  console.log(`${labels[name].padEnd(34)} sipr ${fmt(a)}   sip(npm) ${fmt(b)}   ratio ${(a / b).toFixed(1)}x`);
}
if (sink === 0) console.log('');
