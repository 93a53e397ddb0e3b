/** Applies top-level statements while parsing: global params, modules, flags, cfg variables. */
import type { Core, CompatMode } from '../core';
import { ErrorCode, SiprError, type Diagnostic, type SourcePos } from '../errors';
import type { FlagDecl, ParamItem, TopHandler } from './parser';
import { applyCoreParam } from './core-params';
import { cfgStore } from './runtime-config';

const MAX_FLAG = 31;
const MAX_AVP_FLAGS = 18;

export class TopApplier implements TopHandler {
  readonly flagNames = new Map<string, number>();
  readonly avpFlagNames = new Map<string, number>();

  constructor(private readonly core: Core, private readonly diags: Diagnostic[]) {}

  private err(message: string, pos: SourcePos, code: string = ErrorCode.CONFIG_SEMANTIC): void {
    this.diags.push({ code, message, severity: 'error', ...pos });
  }

  private guard(pos: SourcePos, fallbackCode: string, f: () => void): void {
    try {
      f();
    } catch (e) {
      const se = e instanceof SiprError ? e : undefined;
      this.err((e as Error).message, se?.pos ?? pos, se?.code ?? fallbackCode);
    }
  }

  /** modparam setters and module registration see the mode of their line (tm timer units) */
  mode(mode: CompatMode): void {
    this.core.compatMode = mode;
  }

  global(name: string, items: ParamItem[], pos: SourcePos): void {
    const why = applyCoreParam(this.core, name, items);
    if (why) this.err(why, pos);
  }

  cfgVar(group: string, name: string, value: string | number, desc: string, pos: SourcePos): void {
    this.guard(pos, ErrorCode.CONFIG_SEMANTIC, () => cfgStore(this.core).declare(group, name, value, desc));
  }

  flags(decls: FlagDecl[]): void {
    this.declare(decls, this.flagNames, 'flag');
  }

  /**
   * AVP flags take no `:bit` and a name may be declared again (it keeps its flag); at most
   * MAX_AVP_FLAGS, as in kamailio 5.6.
   */
  avpflags(decls: FlagDecl[]): void {
    for (const d of decls) {
      if (d.bit !== undefined) this.err(`avp flag '${d.name}': avpflags take no ':bit'`, d.pos);
      else if (this.avpFlagNames.has(d.name)) continue;
      else if (this.avpFlagNames.size >= MAX_AVP_FLAGS) this.err(`avp flag '${d.name}': at most ${MAX_AVP_FLAGS} avp flags can be declared`, d.pos);
      else this.avpFlagNames.set(d.name, this.avpFlagNames.size);
    }
  }

  private declare(decls: FlagDecl[], names: Map<string, number>, what: string): void {
    for (const d of decls) {
      if (names.has(d.name)) {
        this.err(`${what} '${d.name}' declared twice`, d.pos);
        continue;
      }
      let bit = d.bit;
      if (bit === undefined) {
        const used = new Set(names.values());
        bit = 0;
        while (used.has(bit)) bit++;
      }
      if (bit < 0 || bit > MAX_FLAG) {
        this.err(`${what} '${d.name}': bit ${bit} out of range 0..${MAX_FLAG}`, d.pos);
        continue;
      }
      if ([...names.values()].includes(bit)) this.diags.push({ code: ErrorCode.CONFIG_SEMANTIC, message: `${what} bit ${bit} used by two names`, severity: 'warning', ...d.pos });
      names.set(d.name, bit);
    }
  }

  loadpath(path: string, pos: SourcePos): void {
    this.guard(pos, ErrorCode.MODULE_NOT_FOUND, () => this.core.modules.addLoadPath(path.split(':').filter((p) => p)));
  }

  loadmodule(spec: string, pos: SourcePos): void {
    this.guard(pos, ErrorCode.MODULE_NOT_FOUND, () => this.core.modules.load(spec, pos));
  }

  modparam(module: string, param: string, value: string | number, pos: SourcePos): void {
    this.guard(pos, ErrorCode.MODPARAM, () => this.core.modules.setParam(module, param, value, pos));
  }
}
