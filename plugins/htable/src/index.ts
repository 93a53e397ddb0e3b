/**
 * htable: named in-memory hash tables (Kamailio 3.0 modules_k/htable, kamailio shape).
 *
 * sipr runs one process per worker and has no shared memory between them, so every process has
 * its own tables: values written while handling a message are seen by later messages of the
 * same process only. event_route[htable:mod-init] runs once in each process so every copy
 * starts from the same content.
 */
import { parseMessage, RouteType, createRunCtx, type Core, type FixupSite, type PvFormat, type RunCtx, type SocketInfo, type Timer } from '@sipr/core';
import { defineKamailioModule, pvApi, PARAM_INT, PARAM_STRING, PARAM_USE_FUNC, ANY_ROUTE } from '@sipr/compat';
import { HashTable, parseTableSpec } from './table';
import { htablePvs, keyFormat, runtimeRegex } from './pvs';
import { htableRpc } from './rpc';

const tables = new Map<string, HashTable>();
let theCore: Core | null = null;
let timerInterval = 20;
let sweeper: Timer | null = null;
let initRouteDone = false;

const now = () => theCore!.timer.now();

interface RmParam {
  table: HashTable;
  re: PvFormat;
  anchor: string;
}

function rmFixup(value: string | null, _paramNo: number, site: FixupSite): RmParam {
  const text = value ?? '';
  const i = text.indexOf('=>');
  const t = i < 0 ? undefined : tables.get(text.slice(0, i).trim());
  if (!t) throw new Error(`"${text}": expected table=>regex with a declared table`);
  const { key, anchor } = keyFormat(text.slice(i + 2), pvApi(site.core));
  return { table: t, re: key, anchor };
}

function rm(ctx: RunCtx, p: RmParam, byValue: boolean): number {
  const re = runtimeRegex(ctx, p.re.print(ctx) + p.anchor);
  if (!re) return -1;
  p.table.removeMatching(re, byValue);
  return 1;
}

const FAKE = 'OPTIONS sip:you@sipr.invalid SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1\r\nFrom: <sip:you@sipr.invalid>;tag=1\r\n'
  + 'To: <sip:you@sipr.invalid>\r\nCall-ID: htable-mod-init\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

/** event_route[htable:mod-init] on a faked request, once per process. */
function runInitRoute(core: Core): void | Promise<void> {
  if (initRouteDone) return;
  initRouteDone = true;
  const route = core.script?.route('event', 'htable:mod-init');
  if (!route) return;
  const socket: SocketInfo = { proto: 'udp', address: '127.0.0.1', port: 0, af: 4, name: 'udp:127.0.0.1:0' };
  const msg = parseMessage(Buffer.from(FAKE, 'latin1'), { srcIp: '127.0.0.1', srcPort: 0, dstIp: '127.0.0.1', dstPort: 0, proto: 'udp', af: 4, socket });
  const r = route(createRunCtx(core, msg, RouteType.EVENT));
  if (r instanceof Promise) return r.then(() => undefined);
}

/** sht_print(): every table and item at L_ERR (a debugging aid, as in Kamailio). */
function shtPrint(ctx: RunCtx): number {
  for (const t of tables.values()) {
    ctx.core.log.error(`htable: [${t.spec.name}] size=${t.spec.size} autoexpire=${t.spec.autoexpire} items=${t.items.size}`);
    for (const [k, it] of t.entries()) ctx.core.log.error(`htable:   ${k} = ${typeof it.value === 'number' ? it.value : JSON.stringify(it.value)}`);
  }
  return 1;
}

function tableFixup(value: string | null): HashTable {
  const t = tables.get((value ?? '').trim());
  if (!t) throw new Error(`htable "${value}" is not declared`);
  return t;
}

export default defineKamailioModule({
  name: 'htable',
  version: '0.1.0',
  cmds: [
    ['sht_rm_name_re', (ctx: RunCtx, p: RmParam) => rm(ctx, p, false), 1, rmFixup, null, ANY_ROUTE],
    ['sht_rm_value_re', (ctx: RunCtx, p: RmParam) => rm(ctx, p, true), 1, rmFixup, null, ANY_ROUTE],
    ['sht_print', shtPrint, 0, null, null, ANY_ROUTE],
    ['sht_reset', (_ctx: RunCtx, t: HashTable) => { t.items.clear(); return 1; }, 1, (v: string | null) => tableFixup(v), null, ANY_ROUTE],
  ],
  params: [
    ['htable', PARAM_STRING | PARAM_USE_FUNC, (_t: number, v: string) => {
      const spec = parseTableSpec(v);
      if (tables.has(spec.name)) throw new Error(`htable "${spec.name}" is declared twice`);
      tables.set(spec.name, new HashTable(spec, now));
    }],
    ['timer_interval', PARAM_INT | PARAM_USE_FUNC, (_t: number, v: number) => {
      if (v < 1) throw new Error('timer_interval must be at least 1 second');
      timerInterval = v;
    }],
  ],
  items: htablePvs({ get: (n) => tables.get(n) }),
  rpc_methods: htableRpc((n) => tables.get(n), () => [...tables.keys()]),
  api: { table: (name: string) => tables.get(name) },
  register(core: Core) {
    // one Core per process: a new core (tests) starts empty
    theCore = core;
    tables.clear();
    timerInterval = 20;
    sweeper = null;
    initRouteDone = false;
  },
  child_init(_rank: number, core: Core) {
    if (!sweeper && [...tables.values()].some((t) => t.spec.autoexpire > 0)) {
      sweeper = core.timer.setInterval(() => { for (const t of tables.values()) t.sweep(); }, timerInterval * 1000, { slow: true });
    }
    return runInitRoute(core);
  },
  destroy() {
    sweeper?.cancel();
    sweeper = null;
  },
});
