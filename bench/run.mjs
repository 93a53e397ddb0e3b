// `npm run bench`: the highest call rate a relay holds with < 0.1% failed calls.
// SIPp uac -> relay -> SIPp uas on loopback (INVITE/100/180/200/ACK/BYE/200, SIPp's built-in
// scenarios), for sipr and for Debian's kamailio in the same run, stateless (forward) and, when
// the tm module is there, stateful (t_relay). Ports 15800-15899.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'sipr-bench-'));
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 4);
const MAX_STEPS = Number(process.env.BENCH_MAX_STEPS ?? 10);
const START_RATE = Number(process.env.BENCH_START_RATE ?? 200);
const MAX_FAIL = 0.001;
const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); rmSync(work, { recursive: true, force: true }); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const say = (s) => process.stdout.write(s + '\n');

function start(cmd, args, name) {
  const p = spawn(cmd, args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => { err += d; if (err.length > 20000) err = err.slice(-10000); });
  children.add(p);
  p.on('exit', () => children.delete(p));
  return { p, name, log: () => err };
}

async function stop(proc) {
  if (proc.p.exitCode !== null || proc.p.signalCode !== null) return;
  const done = new Promise((r) => proc.p.once('exit', r));
  proc.p.kill('SIGTERM');
  const t = setTimeout(() => proc.p.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(t);
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (ms, user + system) used so far by pid and every process below it. */
function cpuMs(rootPid) {
  const stats = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* the process ended meanwhile */ }
  }
  let ticks = 0;
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop();
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, st] of stats) if (st.ppid === pid) todo.push(child);
  }
  return (ticks * 1000) / CLK_TCK;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wait until the relay answers on udp:127.0.0.1:port: an OPTIONS with Max-Forwards 0 gets its local 483. */
async function waitSip(port, proc, ms = 15000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.p.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.log()}`);
    const r = spawnSync('sipp', [`127.0.0.1:${port}`, '-sf', join(root, 'test/e2e/scenarios/options-483.xml'), '-m', '1',
      '-i', '127.0.0.1', '-p', '15899', '-timeout', '2s', '-timeout_error', '-nostdin'], { cwd: work, timeout: 5000 });
    if (r.status === 0) return;
    await sleep(300);
  }
  throw new Error(`${proc.name} did not answer on ${port}:\n${proc.log()}`);
}

/** One step: `rate` calls/s for STEP_SECONDS; cpu = relay CPU ms per call. */
function step(relay, relayPort, rate) {
  const cpu0 = cpuMs(relay.p.pid);
  const calls = Math.max(1, Math.round(rate * STEP_SECONDS));
  const stat = join(work, `stat-${relayPort}-${rate}.csv`);
  rmSync(stat, { force: true });
  const t0 = Date.now();
  const r = spawnSync('sipp', [`127.0.0.1:${relayPort}`, '-sn', 'uac', '-i', '127.0.0.1', '-p', '15850', '-r', String(rate),
    '-m', String(calls), '-l', String(rate * 10), '-timeout', `${STEP_SECONDS * 3 + 10}s`, '-recv_timeout', '5000',
    '-nostdin', '-trace_stat', '-stf', stat, '-fd', '1'], { cwd: work, timeout: (STEP_SECONDS * 3 + 20) * 1000 });
  const elapsed = (Date.now() - t0) / 1000;
  let ok = 0;
  let failed = calls;
  if (existsSync(stat)) {
    const last = readFileSync(stat, 'utf8').trim().split('\n').pop().split(';');
    ok = Number(last[15]);
    failed = calls - ok;
  }
  const failRatio = failed / calls;
  const cpuPerCall = (cpuMs(relay.p.pid) - cpu0) / calls;
  // held: almost every call succeeded, in about the time the rate allows
  const held = failRatio < MAX_FAIL && elapsed <= STEP_SECONDS * 1.2 + 1 && r.status !== null;
  return { rate, calls, ok, failed, elapsed, held, cpuPerCall };
}

/** Grow the rate until a step fails, then bisect; at most MAX_STEPS steps. */
function search(label, relay, relayPort) {
  let best = 0;
  let cpu = 0;
  let lo = 0;
  let hi = Infinity;
  let rate = START_RATE;
  let retried = false;
  for (let i = 0; i < MAX_STEPS; i++) {
    const s = step(relay, relayPort, rate);
    say(`  ${label}: ${rate} calls/s x ${STEP_SECONDS}s -> ${s.ok}/${s.calls} ok, ${s.failed} failed, ${s.elapsed.toFixed(1)}s, ${s.cpuPerCall.toFixed(3)} cpu ms/call ${s.held ? 'held' : 'NOT held'}`);
    // the first miss is run again: on a shared machine one noisy step should not end the climb
    if (!s.held && !retried) {
      retried = true;
      continue;
    }
    if (s.held) {
      if (rate > best) { best = rate; cpu = s.cpuPerCall; }
      lo = rate;
    } else hi = rate;
    const next = hi === Infinity ? rate * 2 : Math.round((lo + hi) / 2);
    if (hi !== Infinity && hi - lo <= Math.max(25, lo * 0.05)) break;
    rate = next;
  }
  return { rate: best, cpu };
}

function siprConfig(port, uasPort, stateful) {
  return `#!KAMAILIO
debug=-1
children=1
listen=udp:127.0.0.1:${port}
loadmodule "sl"
loadmodule "maxfwd"
${stateful ? 'loadmodule "tm"\n' : ''}
request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  ${stateful ? `t_relay_to_udp("127.0.0.1", "${uasPort}");` : `forward("127.0.0.1", ${uasPort});`}
  exit;
}
`;
}

function kamailioConfig(port, uasPort, stateful) {
  return `#!KAMAILIO
debug=-1
log_stderror=yes
children=1
listen=udp:127.0.0.1:${port}
loadmodule "sl.so"
loadmodule "maxfwd.so"
${stateful ? 'loadmodule "tm.so"\n' : ''}
request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  ${stateful ? `t_relay_to_udp("127.0.0.1", "${uasPort}");` : `forward("127.0.0.1", ${uasPort});`}
  exit;
}
`;
}

async function measure(label, relay, port) {
  say(`${label}: starting`);
  try {
    await waitSip(port, relay);
    return search(label, relay, port);
  } finally {
    await stop(relay);
  }
}

async function runMode(stateful) {
  const mode = stateful ? 'stateful (t_relay)' : 'stateless (forward)';
  const uasPort = 15801;
  say(`== ${mode}: SIPp uac -> relay -> SIPp uas, ${STEP_SECONDS}s steps, < ${MAX_FAIL * 100}% failed calls`);
  const uas = start('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin'], 'sipp uas');
  await sleep(300);
  const results = {};
  try {
    const siprCfg = join(work, `sipr-${stateful}.cfg`);
    writeFileSync(siprCfg, siprConfig(15810, uasPort, stateful));
    const check = spawnSync(process.execPath, [join(root, 'cli/bin/sipr.js'), '-c', '-f', siprCfg], { encoding: 'utf8' });
    if (check.status !== 0) say(`sipr ${mode}: config refused, skipped:\n${check.stderr.trim()}`);
    else results.sipr = await measure('sipr', start(process.execPath, [join(root, 'cli/bin/sipr.js'), '-f', siprCfg, '-n', '1'], 'sipr'), 15810);

    const kamCfg = join(work, `kamailio-${stateful}.cfg`);
    writeFileSync(kamCfg, kamailioConfig(15820, uasPort, stateful));
    const kam = start('kamailio', ['-f', kamCfg, '-L', KAMAILIO_MODULES, '-x', 'tlsf', '-m', '4096', '-n', '1', '-DD', '-E',
      '-Y', work, '-P', join(work, `kamailio-${stateful}.pid`)], 'kamailio');
    results.kamailio = await measure('kamailio', kam, 15820);
  } finally {
    await stop(uas);
  }
  const s = results.sipr;
  const k = results.kamailio;
  const show = (r) => (r ? `${r.rate} calls/s (${r.cpu.toFixed(3)} cpu ms/call)` : 'n/a');
  const ratio = s && k && k.rate ? `, ratio sipr/kamailio ${(s.rate / k.rate).toFixed(2)} (cpu per call ${(s.cpu / k.cpu).toFixed(1)}x)` : '';
  say(`RESULT ${mode}: sipr ${show(s)}, kamailio ${show(k)}${ratio}`);
}

try {
  await runMode(false);
  const tmReady = existsSync(join(root, 'plugins/tm/dist/index.js'));
  if (tmReady) await runMode(true);
  else say('stateful (t_relay): skipped, the tm module is not built');
} catch (e) {
  say(`bench failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
}
