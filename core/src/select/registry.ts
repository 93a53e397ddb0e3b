/**
 * Select registry: tables of rows (core first, then modules in load order) and the resolution of
 * a select path into a list of steps, done once at start.
 */
import type { Core } from '../core';
import type { RunCtx } from '../script/types';
import type { SelectExport } from '../modules/types';
import { SipParseError } from '../sip/types';
import { recordParseError } from '../pv/error-info';
import { PvError } from '../pv/error';
import { ErrorCode } from '../errors';
import { lexSelect } from './parse';
import { SelFlag, type CompiledSelect, type SelParam, type SelectFn, type SelectRow } from './types';
import { coreSelectRows } from './core-selects';

interface Step {
  readonly fn: SelectFn;
  readonly args: readonly SelParam[];
}

/** Text of a final select value. */
function selText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v !== null && typeof v === 'object' && typeof (v as { raw?: unknown }).raw === 'string') return (v as { raw: string }).raw;
  return null;
}

class Select implements CompiledSelect {
  constructor(readonly text: string, private readonly steps: readonly Step[]) {}

  get(ctx: RunCtx): string | null {
    let v: unknown = null;
    try {
      for (let i = 0; i < this.steps.length; i++) {
        const s = this.steps[i];
        v = s.fn(ctx, v, s.args);
        if (v === null || v === undefined) return null;
      }
    } catch (e) {
      // a malformed header: the select is undefined, as in Kamailio, and is $err.*
      if (e instanceof SipParseError) {
        recordParseError(ctx, e);
        return null;
      }
      throw e;
    }
    return selText(v);
  }
}

export class SelectRegistry {
  /** rows by parent step, in registration order */
  private readonly rows = new Map<SelectFn | null, SelectRow[]>();
  /** intermediate steps created for module exports, keyed by parent and lower-case name */
  private readonly exportNodes = new Map<SelectFn | null, Map<string, SelectFn>>();

  constructor(readonly core: Core) {
    this.addRows(coreSelectRows);
  }

  addRows(rows: readonly SelectRow[]): void {
    for (const r of rows) {
      const list = this.rows.get(r.parent);
      if (list) list.push(r);
      else this.rows.set(r.parent, [r]);
    }
  }

  /**
   * A module select: `path` names the parts; every part after it (names and indexes) is handed to
   * the handler as `rest`.
   */
  register(exp: SelectExport): void {
    let parent: SelectFn | null = null;
    for (let k = 0; k < exp.path.length - 1; k++) {
      const name = exp.path[k].toLowerCase();
      let byName = this.exportNodes.get(parent);
      if (!byName) this.exportNodes.set(parent, (byName = new Map()));
      let node = byName.get(name);
      if (!node) {
        // a fresh function per node: rows are keyed by their parent's identity
        node = () => '';
        byName.set(name, node);
        this.addRows([{ parent, type: 'str', name, fn: node }]);
      }
      parent = node;
    }
    const handler = exp.handler;
    const fn: SelectFn = (ctx, _in, args) => handler(ctx, restOf(args));
    this.addRows([{ parent, type: 'str', name: exp.path[exp.path.length - 1], fn, flags: SelFlag.CONSUME_ALL }]);
  }

  /** Offset after the select starting at text[start] (for the config lexer). */
  selectEnd(text: string, start: number): number {
    return lexSelect(text, start).end;
  }

  /** Resolve a select (`@` optional); throws PvError (code SIPR_CFG_SELECT) for a path no row accepts. */
  parse(text: string): CompiledSelect {
    const { params, end } = lexSelect(text, 0);
    if (end !== text.length) throw new PvError(`unexpected '${text.slice(end)}' in select '${text}'`, end, ErrorCode.SELECT_SYNTAX);
    const steps: Step[] = [];
    let current: SelectFn | null = null;
    let last: SelectRow | null = null;
    let i = 0;
    while (i < params.length) {
      const row = this.findRow(current, params[i]);
      if (!row) throw new PvError(`unable to resolve select '${text}' at '${partText(params[i])}'`, 0, ErrorCode.SELECT_SYNTAX);
      const flags = row.flags ?? 0;
      if (flags & SelFlag.NESTED) {
        steps.push({ fn: row.fn, args: [] });
        current = row.fn;
        continue;
      }
      let args: SelParam[] = [params[i]];
      const next = params[i + 1];
      if (flags & (SelFlag.CONSUME_NEXT_STR | SelFlag.CONSUME_NEXT_INT)) {
        const want = flags & SelFlag.CONSUME_NEXT_STR ? 'str' : 'int';
        if (next && next.type === want) {
          args.push(next);
          i++;
        } else if (!(flags & SelFlag.OPTIONAL)) {
          throw new PvError(`select '${text}': '${partText(params[i])}' needs a${want === 'int' ? 'n index [n]' : ' ["name"]'}`, 0, ErrorCode.SELECT_SYNTAX);
        }
      }
      i++;
      if (flags & SelFlag.CONSUME_ALL) {
        args = args.concat(params.slice(i));
        i = params.length;
      }
      if (row.fixup) {
        try {
          args = row.fixup(args).slice();
        } catch (e) {
          throw new PvError(`select '${text}': ${(e as Error).message}`, 0, ErrorCode.SELECT_SYNTAX);
        }
      }
      steps.push({ fn: row.fn, args });
      current = row.fn;
      last = row;
    }
    if (last && (last.flags ?? 0) & SelFlag.PARAM_EXPECTED) throw new PvError(`select '${text}' is incomplete`, 0, ErrorCode.SELECT_SYNTAX);
    return new Select(text, steps);
  }

  /** Specific rows win over NESTED ones, so a generic suffix never hides a named part. */
  private findRow(parent: SelectFn | null, p: SelParam): SelectRow | undefined {
    const list = this.rows.get(parent);
    if (!list) return undefined;
    let nested: SelectRow | undefined;
    for (const r of list) {
      if ((r.flags ?? 0) & SelFlag.NESTED) {
        nested ??= r;
        continue;
      }
      if (r.type !== p.type) continue;
      if (p.type === 'int' || r.name === null || r.name.toLowerCase() === p.s.toLowerCase()) return r;
    }
    return nested;
  }
}

function partText(p: SelParam): string {
  return p.type === 'str' ? p.s : `[${p.n}]`;
}

function restOf(args: readonly SelParam[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (let k = 1; k < args.length; k++) {
    const a = args[k];
    out.push(a.type === 'str' ? a.s : a.n);
  }
  return out;
}
