// The stateful path without sockets: INVITE / 180 / 200 / ACK / BYE / 200 through tm's t_relay
// with the real parser and builders, a sender that drops the bytes. Measures tm + SIP work per
// call, free of the kernel and of other processes' load. Run after `node scripts/build.mjs`:
//   node plugins/tm/bench/engine.mjs [calls]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Core, parseMessage, createRunCtx, RouteType } = require('../../../core/dist/index.js');
const { adaptSer } = require('../../../compat/dist/index.js');
const tmModule = require('../dist/index.js').default;
const { tmOf } = require('../dist/index.js');

const CALLS = Number(process.argv[2] ?? 100000);
const sock = { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' };
const core = new Core();
let sent = 0;
let last = null;
core.sender = { send: (_d, buf) => { sent++; last = buf; return true; }, socketFor: () => sock };
const tm = adaptSer(tmModule);
tm.register(core);
const engine = tmOf(core);
// keep the table near what a real second holds (calls of the last wt_timer) while running faster
engine.cfg.wtTimer = Number(process.env.WT ?? 200);
const relay = tm.functions.find((f) => f.name === 't_relay_to_udp' && f.arity === 2);
const pos = { file: 'bench', line: 1, column: 1 };
const params = [{ value: '127.0.0.1', pos }, { value: '5080', pos }];
const fixed = relay.fixup(params, { core, fn: relay.name, routeType: RouteType.REQUEST, pos, params });
const rcvUac = { srcIp: '127.0.0.2', srcPort: 5070, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4, socket: sock };
const rcvUas = { ...rcvUac, srcIp: '127.0.0.1', srcPort: 5080 };

const req = (method, id, cseq, toTag) => Buffer.from(`${method} sip:bob@127.0.0.1:5080 SIP/2.0\r
Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-${id}-${method === 'ACK' ? 'ack' : cseq}\r
Max-Forwards: 70\r
From: sipp <sip:sipp@127.0.0.2:5070>;tag=${id}a\r
To: <sip:bob@127.0.0.1:5080>${toTag ? ';tag=' + toTag : ''}\r
Call-ID: ${id}@127.0.0.2\r
CSeq: ${cseq} ${method}\r
Contact: <sip:sipp@127.0.0.2:5070>\r
Content-Length: 0\r
\r
`, 'latin1');

/** The reply the callee sends to the request we just forwarded (`last`). */
function reply(code, reason, toTag) {
  const text = last.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  const lines = [`SIP/2.0 ${code} ${reason}`];
  for (const l of head.split('\r\n').slice(1)) {
    if (/^(Via|From|Call-ID|CSeq):/i.test(l)) lines.push(l);
    else if (/^To:/i.test(l)) lines.push(l.includes('tag=') ? l : `${l};tag=${toTag}`);
  }
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

function request(buf) {
  const ctx = createRunCtx(core, parseMessage(buf, rcvUac), RouteType.REQUEST);
  relay.impl(ctx, ...fixed);
  core.hooks.postScript.call(ctx);
}
function response(buf) {
  const ctx = createRunCtx(core, parseMessage(buf, rcvUas), RouteType.ONREPLY);
  engine.onReply(ctx);
}

// CPU time, not wall time: the machine is shared, and being preempted is not our cost
const now = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** One call; returns the CPU microseconds spent in sipr (building the callee's replies is not counted). */
function call(i) {
  const id = `c${i}`;
  const t0 = now();
  request(req('INVITE', id, 1));
  const t1 = now();
  const r180 = reply(180, 'Ringing', 'u1');
  const r200 = reply(200, 'OK', 'u1');
  const t2 = now();
  response(r180);
  response(r200);
  request(req('ACK', id, 1, 'u1'));
  request(req('BYE', id, 2, 'u1'));
  const t3 = now();
  const b200 = reply(200, 'OK', 'u1');
  const t4 = now();
  response(b200);
  return t1 - t0 + (t3 - t2) + (now() - t4);
}

for (let i = 0; i < 20000; i++) call(i);
let us = 0;
const start = now();
for (let i = 0; i < CALLS; i++) {
  us += call(20000 + i);
  // let the timer wheel run (wt_timer deletes) as it would between packets
  if (i % 500 === 499) await new Promise((r) => setTimeout(r, 1));
}
const all = now() - start;
console.log(`${CALLS} calls, ${sent} messages sent, table ${engine.table.size}; ` +
  `${(us / CALLS).toFixed(1)} cpu us/call in sipr (${(all / CALLS).toFixed(1)} with the callee's replies built)`);
