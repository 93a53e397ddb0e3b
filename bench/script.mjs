// `node bench/script.mjs` (after `node scripts/build.mjs`): script engine throughput on one core.
// A 40-statement request route (ifs, a switch with regex cases, $var arithmetic, $hdr reads) runs
// on a parsed INVITE; prints route executions/s and simple-statement executions/s.
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = require(join(root, 'core/dist/index.js'));
const { parseMessage } = require(join(root, 'core/dist/sip/message.js'));
const { adaptKamailio } = require(join(root, 'compat/dist/index.js'));
const { createPvModule } = require(join(root, 'plugins/pv/dist/index.js'));

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const STATEMENTS = 40;

// 40 executed statements per run (counted in comments); every branch taken is listed.
const cfg = `
route {
  $var(i) = 0;                                   # 1
  $var(n) = 5;                                   # 2
  $var(s) = "abc";                               # 3
  if ($rm == "INVITE") {                         # 4
    $var(i) = $var(i) + 1;                       # 5
  }
  if ($hdr(Max-Forwards) > 10) {                 # 6
    $var(i) = $var(i) + 2;                       # 7
  }
  $var(cid) = $hdr(Call-ID);                     # 8
  $var(n) = $var(n) * 3 - 1;                     # 9
  $var(n) = $var(n) / 2;                         # 10
  $var(t) = $var(s) + "-" + $var(n);             # 11
  switch ($rm) {                                 # 12
    case /"^REG": $var(k) = 1; break;
    case /"^INV":
      $var(k) = 2;                               # 13
      break;                                     # 14
    default: $var(k) = 3;
  }
  switch ($var(k)) {                             # 15
    case 1: $var(j) = 10; break;
    case 2: $var(j) = 20;                        # 16
    case 3: $var(j) = $var(j) + 1;               # 17
      break;                                     # 18
  }
  if ($var(j) != 21) { $var(err) = 1; }          # 19
  if ($ru =~ "^sip:bob@") {                      # 20
    $var(u) = 1;                                 # 21
  } else {
    $var(u) = 0;
  }
  if ($fU == "alice" && $tU == "bob") {          # 22
    $var(i) = $var(i) + 4;                       # 23
  }
  if (!($var(i) == 7)) { $var(err) = 2; }        # 24
  $var(a) = 1;                                   # 25
  $var(b) = $var(a) + 1;                         # 26
  $var(c) = $var(b) + 1;                         # 27
  $var(d) = $var(c) + 1;                         # 28
  $var(e) = $var(d) + $var(c);                   # 29
  if ($var(e) >= 7 && $var(e) < 100) {           # 30
    $var(f) = $var(e) mod 4;                     # 31
  }
  $var(g) = $hdr(CSeq);                          # 32
  $var(h) = strlen($var(g));                     # 33
  if (defined $hdr(Contact)) {                   # 34
    $var(h) = $var(h) + 1;                       # 35
  }
  $var(x) = $var(h) | 8;                         # 36
  $var(y) = $var(x) & 3;                         # 37
  if ($var(y) == 0) { $var(z) = 1; } else { $var(z) = 2; }  # 38, 39
  return 1;                                      # 40
}
`;

const dir = mkdtempSync(join(tmpdir(), 'sipr-bench-'));
const file = join(dir, 'bench.cfg');
writeFileSync(file, cfg);

const c = new core.Core({});
c.modules.registerDescriptor(adaptKamailio(createPvModule()));
await core.loadConfig(c, file);
const route = c.script.route('request', 'main');

const buf = Buffer.from([
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport',
  'Max-Forwards: 70',
  'From: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  'To: "Bob" <sip:bob@biloxi.example.com>',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 31862 INVITE',
  'Contact: <sip:alice@client.atlanta.example.com;transport=udp>',
  'Content-Length: 0',
  '', '',
].join('\r\n'));
const rcv = {
  srcIp: '192.0.2.101', srcPort: 5060, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4,
  socket: { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' },
};
const msg = parseMessage(buf, rcv);
const ctx = core.createRunCtx(c, msg, core.RouteType.REQUEST);

// sanity: the route computes what the comments say
route(ctx);
const v = (n) => c.pv.parse(`$var(${n})`).get(ctx);
if (v('err') !== null && v('err') !== 0) throw new Error(`bench route went wrong: err=${v('err')}`);
if (v('i') !== 7 || v('j') !== 21 || v('z') !== 2) throw new Error(`bench route went wrong: i=${v('i')} j=${v('j')} z=${v('z')}`);

function measure() {
  let runs = 0;
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) route(ctx);
    runs += 1000;
  }
  return runs / SECONDS;
}
measure(); // warm-up
const rate = measure();
console.log(`script: ${STATEMENTS}-statement route: ${Math.round(rate).toLocaleString('en-US')} routes/s, ${Math.round(rate * STATEMENTS).toLocaleString('en-US')} statements/s (one core)`);
