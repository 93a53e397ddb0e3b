/** Test harness: a Core with a tiny observing module `t`, configs written to temp files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../src/core';
import { Logger } from '../../src/log';
import { loadConfig } from '../../src/cfg/load';
import { createRunCtx } from '../../src/script/run-ctx';
import { parseMessage } from '../../src/sip/message';
import { RouteType, type RunCtx, type RouteKind } from '../../src/script/types';
import type { ReceiveInfo } from '../../src/transport/types';
import type { PvFormat } from '../../src/pv/types';
import type { Script } from '../../src/script/script';
import { ConfigErrors } from '../../src/errors';
import { adaptKamailio } from '@sipr/compat';
import { createPvModule } from '../../../plugins/pv/src';

export const dir = mkdtempSync(join(tmpdir(), 'sipr-cfg-'));
let seq = 0;

export function writeCfg(text: string, name = `c${++seq}.cfg`): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

export interface Harness {
  core: Core;
  calls: string[];
  logs: string[];
  script: Script;
}

/** Loads `text` (module `t` is pre-registered, no loadmodule needed). */
export async function load(text: string, opts: { defines?: Record<string, string | true>; checkOnly?: boolean } = {}): Promise<Harness> {
  const logs: string[] = [];
  const core = new Core({ log: new Logger(3, '', (l) => logs.push(l)) });
  const calls: string[] = [];
  core.modules.registerDescriptor(adaptKamailio(createPvModule()));
  const fmt = (p: readonly { value: string | number }[]) => p.map((x) => core.pv.parseFormat(String(x.value)));
  core.modules.registerDescriptor({
    name: 't',
    params: [{ name: 'p', type: 'int', set: (v) => void calls.push(`p=${v} in ${core.compatMode}`) }],
    functions: [
      { name: 'rec', arity: 1, allowed: RouteType.ANY, fixup: fmt, impl: (ctx: RunCtx, f: PvFormat) => (calls.push(f.print(ctx)), 1) },
      { name: 'ret', arity: 1, allowed: RouteType.ANY, fixup: (p) => [Number(p[0].value)], impl: (_c: RunCtx, n: number) => n },
      {
        name: 'wait', arity: 1, allowed: RouteType.ANY, async: true, fixup: (p) => [Number(p[0].value)],
        impl: (_c: RunCtx, n: number) => new Promise<number>((r) => setTimeout(() => r(n), 1)),
      },
      {
        name: 'onfail', arity: 1, allowed: RouteType.ANY, impl: () => 1,
        fixup: (p, site) => {
          if (!site.core.script?.has('failure', String(p[0].value))) throw new Error(`failure_route[${p[0].value}] is not defined`);
          return [p[0].value];
        },
      },
      { name: 'cat', arity: 3, allowed: RouteType.ANY, impl: (_c: RunCtx, a: string, b: string, c: string) => (calls.push(`${a}${b}${c}`), 1) },
      { name: 'cat', arity: 4, allowed: RouteType.ANY, impl: (_c: RunCtx, a: string, b: string, c: string, d: string) => (calls.push(`${a}${b}${c}${d}`), 1) },
      { name: 'failonly', arity: 0, allowed: RouteType.FAILURE, impl: () => 1 },
      { name: 'boom', arity: 0, allowed: RouteType.ANY, impl: () => { throw new Error('kaboom'); } },
    ],
  });
  const script = await loadConfig(core, writeCfg(text), opts);
  return { core, calls, logs, script };
}

/** Load and return the formatted diagnostics (one per line), or '' when the config is fine. */
export async function errorsOf(text: string, opts: { checkOnly?: boolean } = {}): Promise<string> {
  try {
    await load(text, opts);
    return '';
  } catch (e) {
    if (e instanceof ConfigErrors) return e.message;
    throw e;
  }
}

export const rcv: ReceiveInfo = {
  srcIp: '10.1.2.3', srcPort: 5070, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4,
  socket: { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' },
};

export function invite(ruri = 'sip:bob@example.com', extra = ''): Buffer {
  return Buffer.from(
    `INVITE ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.2.3:5070;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\n` +
      `To: Bob <sip:bob@example.com>\r\nFrom: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n` +
      `Call-ID: a84b4c76e66710@pc33.atlanta.com\r\nCSeq: 314159 INVITE\r\nContact: <sip:alice@10.1.2.3:5070>\r\n${extra}Content-Length: 0\r\n\r\n`,
  );
}

/** Run a route on a fresh message; returns the context after the run. */
export async function run(h: Harness, kind: RouteKind = 'request', name = 'main', buf = invite()): Promise<RunCtx & { result: number }> {
  const msg = parseMessage(buf, rcv);
  const ctx = createRunCtx(h.core, msg, kind === 'request' ? RouteType.REQUEST : RouteType.FAILURE);
  const route = h.script.route(kind, name);
  if (!route) throw new Error(`no route ${kind}:${name}`);
  const result = await route(ctx);
  return Object.assign(ctx, { result });
}

/** Run the main request route of `body` and return what rec() recorded. */
export async function recs(body: string, pre = ''): Promise<string[]> {
  const h = await load(`${pre}\nroute {\n${body}\n}\n`);
  await run(h);
  return h.calls;
}
