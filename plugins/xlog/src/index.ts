/**
 * xlog: log lines built from pseudo-variable formats, Kamailio 3.0 modules_k/xlog (kamailio
 * shape). Lines go to the core logger as "<script>: text" at the chosen level; a level below the
 * current debug threshold costs no formatting.
 */
import { LogLevel, type Core, type FixupSite, type Logger, type PvFormat, type PvSpec, type RunCtx } from '@sipr/core';
import { defineKamailioModule, pvApi, PARAM_INT, PARAM_USE_FUNC, ANY_ROUTE } from '@sipr/compat';

/** A format with the config line of its call (xlogl prints it). */
interface Line {
  readonly fmt: PvFormat;
  readonly line: number;
}

type Level = number | PvSpec;

const LEVELS: Record<string, number> = {
  A: LogLevel.ALERT, B: LogLevel.BUG, C: LogLevel.CRIT, E: LogLevel.ERR, W: LogLevel.WARN, N: LogLevel.NOTICE, I: LogLevel.INFO, D: LogLevel.DBG,
};

let bufSize = 4096;
let forceColor = 0;
let log: Logger | undefined;

function levelOf(text: string, site: FixupSite): Level {
  if (text.startsWith('$')) return pvApi(site.core).parse(text);
  const n = text.length > 2 && text.startsWith('L_') ? LEVELS[text[2]] : undefined;
  if (n === undefined) throw new Error(`unknown log level "${text}"`);
  return n;
}

function formatOf(text: string, site: FixupSite): Line {
  return { fmt: pvApi(site.core).parseFormat(text), line: site.pos.line };
}

/** xlog(format) / xlog(level, format): the last parameter is the format. */
function fixup(value: string | null, paramNo: number, site: FixupSite): unknown {
  if (value === null) throw new Error('null format');
  return paramNo === site.params.length ? formatOf(value, site) : levelOf(value, site);
}

function emit(ctx: RunCtx, level: Level, f: Line, withLine: boolean): number {
  let n: number;
  if (typeof level === 'number') n = level;
  else {
    const v = level.get(ctx);
    if (typeof v !== 'number') {
      ctx.core.log.error(`xlog: invalid log level value [${String(v)}]`);
      return -1;
    }
    n = v;
  }
  const out = log ?? ctx.core.log;
  if (!out.enabled(n)) return 1;
  let text = f.fmt.print(ctx);
  if (text.length > bufSize) text = text.slice(0, bufSize);
  if (text.endsWith('\n')) text = text.slice(0, -1);
  out.log(n, withLine ? `${f.line}:${text}` : text);
  return 1;
}

const ESC = '\x1b[';
const FG: Record<string, string> = { x: '39', s: '30', r: '31', g: '32', y: '33', b: '34', p: '35', c: '36', w: '37' };
const BG: Record<string, string> = { x: '49', s: '40', r: '41', g: '42', y: '43', b: '44', p: '45', c: '46', w: '47' };

/** $C(fb): terminal colour escape (foreground, background; an upper-case foreground is bold). */
const colorPv = {
  name: 'C',
  inner: 'required' as const,
  parseInner(inner: string) {
    const f = inner[0];
    if (inner.length !== 2 || !'xsrgybpcwSRGYBPCW'.includes(f) || !BG[inner[1]]) throw new Error(`invalid color name "${inner}"`);
    const bold = f !== f.toLowerCase();
    return `${ESC}${bold ? '1;' : '0;'}${FG[f.toLowerCase()]};${BG[inner[1]]}m`;
  },
  get(ctx: RunCtx, seq: string) {
    return forceColor || ctx.core.globals.get('log_stderror') ? seq : '';
  },
};

const ROUTES = ANY_ROUTE;

export default defineKamailioModule({
  name: 'xlog',
  version: '0.1.0',
  cmds: [
    ['xlog', (ctx: RunCtx, f: Line) => emit(ctx, LogLevel.ERR, f, false), 1, fixup, null, ROUTES],
    ['xlog', (ctx: RunCtx, l: Level, f: Line) => emit(ctx, l, f, false), 2, fixup, null, ROUTES],
    ['xdbg', (ctx: RunCtx, f: Line) => emit(ctx, LogLevel.DBG, f, false), 1, fixup, null, ROUTES],
    ['xlogl', (ctx: RunCtx, f: Line) => emit(ctx, LogLevel.ERR, f, true), 1, fixup, null, ROUTES],
    ['xlogl', (ctx: RunCtx, l: Level, f: Line) => emit(ctx, l, f, true), 2, fixup, null, ROUTES],
    ['xdbgl', (ctx: RunCtx, f: Line) => emit(ctx, LogLevel.DBG, f, true), 1, fixup, null, ROUTES],
  ],
  params: [
    ['buf_size', PARAM_INT | PARAM_USE_FUNC, (_t: number, v: number) => {
      if (v < 1) throw new Error('buf_size must be positive');
      bufSize = v;
    }],
    ['force_color', PARAM_INT | PARAM_USE_FUNC, (_t: number, v: number) => { forceColor = v; }],
  ],
  items: [colorPv],
  register(core: Core) {
    // one Core per process: a new core (tests) starts from the defaults
    bufSize = 4096;
    forceColor = 0;
    log = core.log.child('<script>');
  },
});
