/**
 * kex: Kamailio core extensions (modules_k/kex, kamailio shape): script and branch flags,
 * destination URI, appending branches, pv_printf, the core statistics and the stats.* and
 * core.uptime RPCs.
 */
import type { Core, FixupSite, RpcContext } from '@sipr/core';
import { defineKamailioModule, fixup_igp_igp, fixup_pvar_null, fixup_spve_null, fixup_spve_spve, FParam, ANY_ROUTE, REQUEST_ROUTE, FAILURE_ROUTE, BRANCH_ROUTE, ONREPLY_ROUTE } from '@sipr/compat';
import { isbflagset, issflagset, resetbflag, resetsflag, setbflag, setsflag } from './flags';
import { appendBranch, isDstUriSet, pvPrintf, resetDstUri, setDstUri } from './branch';
import { coreStatEntries, statsRpc, tapCoreStats } from './stats';

let theCore: Core | null = null;
let startedAt = new Date();

/** A constant flag index is checked when the config loads. */
function flagFixup(value: string | null, paramNo: number, site: FixupSite): unknown {
  const p = fixup_igp_igp(value, paramNo, site);
  if (paramNo === 1 && p instanceof FParam && p.kind === 'int') {
    const n = Number(p.orig);
    if (n < 0 || n > 31) throw new Error(`flag ${p.orig} out of range 0..31`);
  }
  return p;
}

const pvPrintfFixup = (value: string | null, paramNo: number, site: FixupSite) =>
  paramNo === 1 ? fixup_pvar_null(value, 1, site) : fixup_spve_null(value, 1, site);

const FLAG_ROUTES = ANY_ROUTE;
const BRANCH_ROUTES = REQUEST_ROUTE | FAILURE_ROUTE;
const DST_ROUTES = REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE | ONREPLY_ROUTE;

function uptime(rpc: RpcContext): void {
  const now = new Date();
  rpc.add({ now: now.toUTCString(), up_since: startedAt.toUTCString(), uptime: Math.floor((now.getTime() - startedAt.getTime()) / 1000) });
}

export default defineKamailioModule({
  name: 'kex',
  version: '0.1.0',
  cmds: [
    ['setsflag', setsflag, 1, flagFixup, null, FLAG_ROUTES],
    ['resetsflag', resetsflag, 1, flagFixup, null, FLAG_ROUTES],
    ['issflagset', issflagset, 1, flagFixup, null, FLAG_ROUTES],
    ['setbflag', setbflag, 1, flagFixup, null, FLAG_ROUTES],
    ['setbflag', setbflag, 2, flagFixup, null, FLAG_ROUTES],
    ['resetbflag', resetbflag, 1, flagFixup, null, FLAG_ROUTES],
    ['resetbflag', resetbflag, 2, flagFixup, null, FLAG_ROUTES],
    ['isbflagset', isbflagset, 1, flagFixup, null, FLAG_ROUTES],
    ['isbflagset', isbflagset, 2, flagFixup, null, FLAG_ROUTES],
    ['km_append_branch', appendBranch, 0, null, null, BRANCH_ROUTES],
    ['km_append_branch', appendBranch, 1, fixup_spve_null, null, BRANCH_ROUTES],
    ['km_append_branch', appendBranch, 2, fixup_spve_spve, null, BRANCH_ROUTES],
    ['setdsturi', setDstUri, 1, fixup_spve_null, null, DST_ROUTES],
    ['resetdsturi', resetDstUri, 0, null, null, DST_ROUTES],
    ['isdsturiset', isDstUriSet, 0, null, null, DST_ROUTES],
    ['pv_printf', pvPrintf, 2, pvPrintfFixup, null, ANY_ROUTE],
  ],
  stats: coreStatEntries,
  rpc_methods: [
    ...statsRpc(() => theCore!),
    ['core.uptime', uptime, 'Print the current time, the start time and the seconds since.'],
    ['core.pwd', (rpc: RpcContext) => rpc.add(process.cwd()), 'Print the working directory of the server.'],
    ['core.arg', (rpc: RpcContext) => { for (const a of process.argv.slice(1)) rpc.add(a); }, 'Print the command line arguments of the server.'],
  ],
  register(core: Core) {
    theCore = core;
    startedAt = new Date();
    tapCoreStats(core);
  },
});

