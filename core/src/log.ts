/**
 * Logging with Kamailio's levels: `debug=N` shows messages whose level is <= N.
 * Output goes to stderr (log_stderror=yes / -E); syslog is not supported yet.
 */
export const LogLevel = {
  ALERT: -5,
  BUG: -4,
  CRIT: -2,
  ERR: -1,
  WARN: 0,
  NOTICE: 1,
  INFO: 2,
  DBG: 3,
} as const;
export type LogLevelName = keyof typeof LogLevel;

const names: Record<number, string> = {
  [-5]: 'ALERT', [-4]: 'BUG', [-3]: 'CRIT', [-2]: 'CRIT', [-1]: 'ERROR', 0: 'WARNING', 1: 'NOTICE', 2: 'INFO', 3: 'DEBUG',
};

export interface LogSink {
  (line: string): void;
}

export class Logger {
  /** Current threshold (core.debug); runtime-changeable. */
  level: number;
  private readonly prefix: string;
  private readonly sink: LogSink;

  constructor(level: number = LogLevel.WARN, prefix = '', sink: LogSink = (l) => process.stderr.write(l + '\n')) {
    this.level = level;
    this.prefix = prefix;
    this.sink = sink;
  }

  /** A logger for one module or subsystem sharing this logger's level and sink. */
  child(prefix: string): Logger {
    const parent = this;
    const c = Object.create(Logger.prototype) as Logger;
    Object.defineProperty(c, 'level', { get: () => parent.level, set: (v: number) => { parent.level = v; } });
    (c as unknown as { prefix: string }).prefix = prefix;
    (c as unknown as { sink: LogSink }).sink = this.sink;
    return c;
  }

  enabled(level: number): boolean {
    return level <= this.level;
  }

  /** An error for a log line: its message, or its stack when debug is on. */
  describe(e: unknown): string {
    if (!(e instanceof Error)) return String(e);
    return (this.enabled(LogLevel.DBG) ? e.stack : undefined) ?? e.message;
  }

  log(level: number, msg: string): void {
    if (level > this.level) return;
    const tag = names[level] ?? String(level);
    this.sink(`${process.pid} ${tag}: ${this.prefix ? this.prefix + ': ' : ''}${msg}`);
  }

  alert(msg: string): void { this.log(LogLevel.ALERT, msg); }
  crit(msg: string): void { this.log(LogLevel.CRIT, msg); }
  error(msg: string): void { this.log(LogLevel.ERR, msg); }
  warn(msg: string): void { this.log(LogLevel.WARN, msg); }
  notice(msg: string): void { this.log(LogLevel.NOTICE, msg); }
  info(msg: string): void { this.log(LogLevel.INFO, msg); }
  debug(msg: string): void { this.log(LogLevel.DBG, msg); }
}
