/** A Core that loads a whole config from text (modules by name), with a fake clock and recorded sends. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core, FakeClock, Logger, LogLevel, RouteType, createRunCtx, loadConfig, parseMessage, type RunCtx, type SocketInfo } from '@sipr/core';
import { apply as applyCompat } from '@sipr/compat';

export interface CfgRun {
  core: Core;
  clock: FakeClock;
  logs: string[];
  sent: string[];
  /** run request_route on a raw request from 127.0.0.1:5070 */
  request(raw: string): RunCtx;
  close(): Promise<void>;
}

const socket: SocketInfo = { proto: 'udp', address: '127.0.0.1', port: 5060, af: 4, name: 'udp:127.0.0.1:5060' };

export async function loadCfg(text: string): Promise<CfgRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sipr-htable-'));
  const file = join(dir, 'test.cfg');
  writeFileSync(file, text);
  const clock = new FakeClock();
  const logs: string[] = [];
  const sent: string[] = [];
  const core = new Core({ clock, log: new Logger(LogLevel.INFO, '', (l) => logs.push(l.replace(/^\d+ /, ''))) });
  applyCompat(core);
  core.sender = { send: (_d, b) => { sent.push(b.toString('latin1')); return true; }, socketFor: () => socket };
  try {
    await loadConfig(core, file);
    await core.modules.childInitAll(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    core, clock, logs, sent,
    request(raw) {
      const msg = parseMessage(Buffer.from(raw, 'latin1'), { srcIp: '127.0.0.1', srcPort: 5070, dstIp: '127.0.0.1', dstPort: 5060, proto: 'udp', af: 4, socket });
      const ctx = createRunCtx(core, msg, RouteType.REQUEST);
      const r = core.script!.route('request', 'main')!(ctx);
      if (typeof r !== 'number') throw new Error('route went async');
      return ctx;
    },
    close: () => core.modules.destroyAll(),
  };
}
