/**
 * RPC method registry (core.*, system.*, and what modules add). Transports (ctl/BINRPC, XML-RPC,
 * the CLI) call `invoke`; a fault is a reply, never an exception that escapes.
 */
import type { Core } from '../core';
import type { RpcExport, RpcContext } from '../modules/types';
import { SiprError, ErrorCode } from '../errors';

export interface RpcReply {
  ok: boolean;
  values: unknown[];
  fault?: { code: number; message: string };
}

export class RpcRegistry {
  private readonly methods = new Map<string, RpcExport & { module: string }>();
  constructor(private readonly core: Core) {
    this.register('core', {
      name: 'system.listMethods',
      doc: 'Lists the RPC methods.',
      handler: (ctx) => { for (const name of [...this.methods.keys()].sort()) ctx.add(name); },
    });
    this.register('core', {
      name: 'system.methodHelp',
      doc: 'Prints the help text of an RPC method.',
      handler: (ctx) => {
        const m = this.methods.get(String(ctx.params[0] ?? ''));
        if (!m) return ctx.fault(400, 'unknown method');
        ctx.add(m.doc);
      },
    });
    this.register('core', {
      name: 'core.version',
      doc: 'Returns the version string of the server.',
      handler: (ctx) => ctx.add(`sipr ${this.core.version} (node ${process.version})`),
    });
  }

  register(module: string, exp: RpcExport): void {
    if (this.methods.has(exp.name)) {
      throw new SiprError(ErrorCode.MODULE_DUPLICATE, `RPC method ${exp.name} is exported twice (by ${this.methods.get(exp.name)!.module} and ${module})`);
    }
    this.methods.set(exp.name, { ...exp, module });
  }

  has(name: string): boolean {
    return this.methods.has(name);
  }

  names(): string[] {
    return [...this.methods.keys()];
  }

  /** Run a method; every failure (unknown method, fault, throw, rejection) becomes a fault reply. */
  async invoke(name: string, params: readonly unknown[]): Promise<RpcReply> {
    const m = this.methods.get(name);
    if (!m) return { ok: false, values: [], fault: { code: 500, message: 'command not found' } };
    const reply: RpcReply = { ok: true, values: [] };
    const ctx: RpcContext = {
      params,
      add: (v) => { reply.values.push(v); },
      fault: (code, message) => { reply.ok = false; reply.fault = { code, message }; },
    };
    try {
      await m.handler(ctx);
    } catch (e) {
      reply.ok = false;
      reply.fault = { code: 500, message: e instanceof Error ? e.message : String(e) };
    }
    return reply;
  }
}
