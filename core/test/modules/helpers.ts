import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core, Logger, LogLevel, SiprError, type SourcePos } from '@sipr/core';

export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

/** A core whose log lines are collected (warnings and up). */
export function quietCore(): { core: Core; logs: string[] } {
  const logs: string[] = [];
  const core = new Core({ log: new Logger(LogLevel.WARN, '', (l) => logs.push(l)) });
  return { core, logs };
}

export function tempDir(prefix = 'sipr-mod-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copy a fixture module folder to dir/<as>. */
export function placeFixture(fixture: string, dir: string, as: string): string {
  const to = join(dir, as);
  mkdirSync(dir, { recursive: true });
  cpSync(join(FIXTURES, fixture), to, { recursive: true });
  return to;
}

/** A minimal module package written on the fly (plain JS). */
export function writeModule(dir: string, name: string, iface: string, body: string, core = '^0.1.0'): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `x-${name}`, version: '1.0.0', sipr: { name, interface: iface, core, entry: 'index.js' } }));
  writeFileSync(join(dir, 'index.js'), body);
  return dir;
}

export const at = (file: string, line: number, column = 1): SourcePos => ({ file, line, column });

/** The SiprError f throws; fails the test when it throws something else or nothing. */
export function errorOf(f: () => unknown): SiprError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SiprError);
    return e as SiprError;
  }
  throw new Error('expected a SiprError');
}
