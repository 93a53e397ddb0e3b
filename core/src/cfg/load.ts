/**
 * Entry points: loadConfig (parse, apply, init modules, compile, set core.script), checkConfig
 * (`sipr -c`: every error collected) and preprocessConfig (`--cfg-print`).
 */
import type { Core } from '../core';
import { ConfigErrors, ErrorCode, SiprError, type Diagnostic } from '../errors';
import { Lexer } from './lexer';
import { Defines } from './defines';
import { Parser } from './parser';
import { TopApplier } from './top';
import { setDeclaredFlags } from './flag-names';
import { quote } from './quote';
import { compileScript, type Script } from '../script/script';

export interface LoadOptions {
  /** `-A NAME[=VALUE]` */
  defines?: Record<string, string | true> | ReadonlyMap<string, string | true | undefined>;
  /** `-c`: check only; modules are not initialised, fixups still run */
  checkOnly?: boolean;
}

function openLexer(file: string, defines: Defines, diags: Diagnostic[]): Lexer {
  try {
    return Lexer.fromFile(file, defines, diags);
  } catch (e) {
    throw new ConfigErrors([{ code: ErrorCode.CONFIG_INCLUDE, message: `cannot read config file ${file}: ${(e as Error).message}`, severity: 'error' }]);
  }
}

function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

function reportWarnings(core: Core, diags: readonly Diagnostic[]): void {
  for (const d of diags) if (d.severity === 'warning') core.log.warn(`${d.file}:${d.line}:${d.column}: ${d.message}`);
}

export async function loadConfig(core: Core, file: string, opts: LoadOptions = {}): Promise<Script> {
  const diags: Diagnostic[] = [];
  const lx = openLexer(file, new Defines(opts.defines), diags);
  lx.bounds = {
    pvEnd: (text, start, mode) => core.pv.pvEnd(text, start, mode),
    selectEnd: (text, start) => core.selects.selectEnd(text, start),
  };
  const top = new TopApplier(core, diags);
  const blocks = new Parser(lx, top).parse();
  core.compatMode = lx.mode;
  setDeclaredFlags(core, top.flagNames, top.avpFlagNames);
  const checkOnly = opts.checkOnly === true || hasErrors(diags);
  if (!checkOnly) {
    try {
      await core.modules.initAll();
    } catch (e) {
      const se = e instanceof SiprError ? e : undefined;
      diags.push({ code: se?.code ?? ErrorCode.MODULE_INIT, message: (e as Error).message, severity: 'error', ...se?.pos });
    }
  }
  const previous = core.script;
  const pending: Promise<void>[] = [];
  const script = compileScript(core, blocks, top.flagNames, diags, pending);
  await Promise.all(pending);
  if (hasErrors(diags)) {
    core.script = previous;
    throw new ConfigErrors(diags.filter((d) => d.severity === 'error'));
  }
  reportWarnings(core, diags);
  return script;
}

/** `sipr -c`: parse and compile without initialising modules; throws ConfigErrors with every error. */
export function checkConfig(core: Core, file: string, defines?: LoadOptions['defines']): Promise<Script> {
  return loadConfig(core, file, { defines, checkOnly: true });
}

/**
 * The config as the parser sees it: conditionals resolved, includes inlined, defines substituted,
 * comments dropped. One line per source line that still has tokens.
 */
export function preprocessConfig(file: string, defines: LoadOptions['defines'] = {}): string {
  const diags: Diagnostic[] = [];
  const lx = openLexer(file, new Defines(defines), diags);
  let out = '';
  let lastFile = '';
  let lastLine = 0;
  for (let t = lx.next(); t.kind !== 'eof'; t = lx.next()) {
    if (t.pos.file !== lastFile || t.pos.line !== lastLine) {
      if (out) out += '\n';
      lastFile = t.pos.file;
      lastLine = t.pos.line;
    } else if (t.spaced) out += ' ';
    out += t.kind === 'str' ? quote(t.text) : t.text;
  }
  if (hasErrors(diags)) throw new ConfigErrors(diags);
  return out + '\n';
}
