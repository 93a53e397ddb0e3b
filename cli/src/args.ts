/**
 * Command-line flags, following kamailio's where they overlap. Short flags may be grouped
 * (`-dd`, `-cE`) and a value may be attached (`-l127.0.0.1`) or follow as the next word.
 */
export interface CliOptions {
  cfgFile?: string;
  check: boolean;
  cfgPrint: boolean;
  listen: string[];
  children?: number;
  defines: Map<string, string | undefined>;
  modulePaths: string[];
  /** number of -d flags: each raises the log level by one */
  debug: number;
  stderr: boolean;
  foreground: boolean;
  version: boolean;
  help: boolean;
}

export class UsageError extends Error {}

const VALUE_FLAGS = new Set(['f', 'l', 'n', 'A', 'L']);
const BOOL_FLAGS = new Set(['c', 'D', 'E', 'd', 'V', 'h']);

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    check: false, cfgPrint: false, listen: [], defines: new Map(), modulePaths: [],
    debug: 0, stderr: false, foreground: false, version: false, help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help') { o.help = true; continue; }
    if (arg === '--version') { o.version = true; continue; }
    if (arg === '--cfg-print') { o.cfgPrint = true; continue; }
    if (!arg.startsWith('-') || arg.length < 2 || arg.startsWith('--')) throw new UsageError(`unknown argument '${arg}'`);
    for (let j = 1; j < arg.length; j++) {
      const f = arg[j];
      if (VALUE_FLAGS.has(f)) {
        let value = arg.slice(j + 1);
        if (value === '') {
          if (i + 1 >= argv.length) throw new UsageError(`option -${f} needs a value`);
          value = argv[++i];
        }
        setValue(o, f, value);
        break;
      }
      if (!BOOL_FLAGS.has(f)) throw new UsageError(`unknown option -${f}`);
      switch (f) {
        case 'c': o.check = true; break;
        case 'D': o.foreground = true; break;
        case 'E': o.stderr = true; break;
        case 'd': o.debug++; break;
        case 'V': o.version = true; break;
        case 'h': o.help = true; break;
      }
    }
  }
  return o;
}

function setValue(o: CliOptions, f: string, value: string): void {
  switch (f) {
    case 'f': o.cfgFile = value; break;
    case 'l': o.listen.push(value); break;
    case 'L': o.modulePaths.push(value); break;
    case 'n': {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`-n needs a number of workers >= 1, got '${value}'`);
      o.children = Number(value);
      break;
    }
    case 'A': {
      const eq = value.indexOf('=');
      const name = eq < 0 ? value : value.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`-A needs NAME or NAME=VALUE, got '${value}'`);
      o.defines.set(name, eq < 0 ? undefined : value.slice(eq + 1));
      break;
    }
  }
}

export const USAGE = `Usage: sipr [options]

Options:
  -f FILE      configuration file (kamailio.cfg syntax)
  -c           check the configuration file and exit (errors as file:line:column: message)
  --cfg-print  print the preprocessed configuration and exit
  -l LISTEN    listen on [proto:]addr[:port] (repeatable; replaces the config's listen)
  -n N         number of SIP worker processes (1: one process)
  -A NAME[=V]  #!define NAME (with value V) before the config is read (repeatable)
  -L DIR       directory to look for modules in (repeatable)
  -d           more debug output (repeatable: -dd)
  -E           log to stderr (always on; accepted for kamailio compatibility)
  -D           stay in the foreground (always on; accepted for kamailio compatibility)
  -V           print the version and exit
  -h, --help   print this help and exit
`;
