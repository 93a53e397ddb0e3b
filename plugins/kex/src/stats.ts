/**
 * Core statistics (Kamailio's "core" group) and the stats.* RPCs over every module's statistics.
 * Counting taps the transport hooks, so it costs nothing unless kex is loaded.
 */
import { isKnownMethod, wasDropped, type Core, type RpcContext, type RunCtx, type StatExport } from '@sipr/core';
import { createStat, type RpcEntry, type StatEntry } from '@sipr/compat';

export const core = {
  rcv_requests: createStat(),
  rcv_replies: createStat(),
  fwd_requests: createStat(),
  fwd_replies: createStat(),
  drop_requests: createStat(),
  drop_replies: createStat(),
  /** requests whose method Kamailio has no id for (compared case-insensitively, as its parser does) */
  unsupported_methods: createStat(),
  /** messages that could not be parsed (requests and replies) */
  bad_msg_hdr: createStat(),
};

export const coreStatEntries: StatEntry[] = (Object.keys(core) as (keyof typeof core)[]).map((n) => [n, 0, core[n]]);

/** "SIP/" starts every reply; anything else with content is a request. */
function isReply(buf: Buffer): boolean {
  return buf.length > 4 && buf[0] === 83 && buf[1] === 73 && buf[2] === 80 && buf[3] === 47;
}

function hasContent(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 13 && buf[i] !== 10) return true;
  return false;
}

export function tapCoreStats(c: Core): void {
  for (const s of Object.values(core)) s.reset();
  c.hooks.netDataIn.tap('kex', (buf) => {
    if (buf && hasContent(buf)) (isReply(buf) ? core.rcv_replies : core.rcv_requests).inc();
    return buf;
  });
  c.hooks.netDataOut.tap('kex', (buf) => {
    if (buf) (isReply(buf) ? core.fwd_replies : core.fwd_requests).inc();
    return buf;
  });
  // kamailio counts rcv_* only for messages that parsed; netDataIn saw this one before parsing
  c.hooks.parseError.tap('kex', (buf) => {
    core.bad_msg_hdr.inc();
    (isReply(buf) ? core.rcv_replies : core.rcv_requests).inc(-1);
  });
  c.hooks.preScript.tap('kex', (ctx: RunCtx) => {
    if (ctx.msg.isRequest && !isKnownMethod(ctx.msg.method.toUpperCase())) core.unsupported_methods.inc();
  });
  c.hooks.postScript.tap('kex', (ctx: RunCtx) => {
    if (wasDropped(ctx)) (ctx.msg.isRequest ? core.drop_requests : core.drop_replies).inc();
  });
}

interface Named {
  group: string;
  stat: StatExport;
}

/** Every statistic with its group: kex's own are Kamailio's "core" group. */
function allStats(c: Core): Named[] {
  const out: Named[] = [];
  for (const m of c.modules.list()) {
    const group = m.descriptor.name === 'kex' ? 'core' : m.descriptor.name;
    for (const stat of m.descriptor.stats) out.push({ group, stat });
  }
  return out;
}

/** "all", "group:" or a statistic name, as kamcmd stats.get_statistics takes them. */
function select(c: Core, params: readonly unknown[]): Named[] {
  const all = allStats(c);
  const wanted = params.length ? params.map(String) : ['all'];
  const out: Named[] = [];
  for (const w of wanted) {
    for (const n of all) {
      const hit = w === 'all' || (w.endsWith(':') ? n.group === w.slice(0, -1) : n.stat.name === w || `${n.group}:${n.stat.name}` === w);
      if (hit && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

const line = (n: Named) => `${n.group}:${n.stat.name} = ${n.stat.get ? n.stat.get() : 0}`;

export const statsRpc = (c: () => Core): RpcEntry[] => [
  ['stats.get_statistics', (rpc: RpcContext) => {
    for (const n of select(c(), rpc.params)) rpc.add(line(n));
  }, 'Print statistics: all, group: or names.'],
  ['stats.reset_statistics', (rpc: RpcContext) => {
    for (const n of select(c(), rpc.params)) n.stat.reset?.();
  }, 'Reset statistics (those that allow it) to 0.'],
  ['stats.clear_statistics', (rpc: RpcContext) => {
    for (const n of select(c(), rpc.params)) {
      rpc.add(line(n));
      n.stat.reset?.();
    }
  }, 'Print statistics, then reset them.'],
];
