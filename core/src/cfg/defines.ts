/** `#!define` names (with optional values) and `#!subst` rules shared by a config and its includes. */
export interface Subst {
  readonly re: RegExp;
  readonly source: string;
  readonly replacement: string;
}

export class Defines {
  private readonly names = new Map<string, string | true>();
  readonly substs: Subst[] = [];

  /** `-A` values: a record, or a map where undefined means a bare name */
  constructor(initial?: Record<string, string | true> | ReadonlyMap<string, string | true | undefined>) {
    const entries = initial instanceof Map ? [...initial.entries()] : Object.entries(initial ?? {});
    for (const [k, v] of entries) this.names.set(k, v ?? true);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** The value to substitute, true for a bare flag, undefined when not defined. */
  get(name: string): string | true | undefined {
    return this.names.get(name);
  }

  set(name: string, value: string | true): void {
    this.names.set(name, value);
  }

  /** `#!subst` rules run over the text of every string literal. */
  applySubst(s: string): string {
    let out = s;
    for (const r of this.substs) out = out.replace(r.re, r.replacement);
    return out;
  }
}

/** `-A NAME` / `-A NAME=VALUE` from the command line. */
export function parseDefineArg(arg: string): [string, string | true] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, true] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
