/**
 * One SIP process: its sockets, the message path, module child_init and shutdown. Workers of a
 * multi-process server each run one of these (see workers.ts).
 */
import type { Core } from '../core';
import { listenSpecs, type ListenSpec } from '../transport/listen';
import { TransportLayer } from '../transport/layer';
import { registerTransportRpc } from '../transport/rpc';
import type { StreamLimits } from '../transport/connections';
import { MessagePath } from './message-path';
import { StreamFramer } from '../sip/stream';

export interface ServerOptions {
  /** -l values; when given they replace the config's `listen` */
  listen?: readonly string[];
}

export class Server {
  transports: TransportLayer | null = null;

  constructor(private readonly core: Core, private readonly opts: ServerOptions = {}) {}

  /** What this server listens on: -l, else the config's `listen`, else 127.0.0.1 (udp+tcp). */
  listenSpecs(): ListenSpec[] {
    const g = this.core.globals;
    const items = this.opts.listen?.length ? this.opts.listen : listValue(g.get('listen'));
    const specs = listenSpecs(items, intGlobal(g, 'port') ?? 5060, boolGlobal(g, 'disable_tcp'));
    const advertisedAddress = g.get('advertised_address');
    const advertisedPort = intGlobal(g, 'advertised_port');
    if (typeof advertisedAddress !== 'string' && advertisedPort === undefined) return specs;
    return specs.map((s) => ({
      ...s,
      advertisedAddress: typeof advertisedAddress === 'string' ? advertisedAddress : undefined,
      advertisedPort,
    }));
  }

  /** Bind, then run child_init(rank). Rejects with a one-line SiprError when a socket cannot open. */
  async start(rank: number): Promise<void> {
    const core = this.core;
    core.rank = rank;
    const path = new MessagePath(core);
    const t = new TransportLayer(core, path.receive, { newFramer: () => new StreamFramer(), limits: streamLimits(core.globals) });
    const specs = this.listenSpecs();
    await t.open(specs);
    // -l replaces the config's listen for `myself` too
    if (this.opts.listen?.length) core.globals.set('listen', specs.map((s) => ({ proto: s.proto, host: s.address, port: s.port, text: s.text })));
    this.transports = t;
    core.sender = t;
    registerTransportRpc(core, t);
    if (!core.rpc.has('core.failures')) {
      core.rpc.register('core', {
        name: 'core.failures',
        doc: 'Returns the errors caught instead of ending the process: function, message, uncaught.',
        handler: (rpc) => rpc.add({ ...core.failures }),
      });
    }
    await core.modules.childInitAll(rank);
  }

  /** Modules' destroy (newest first), then close every socket. */
  async stop(): Promise<void> {
    await this.core.modules.destroyAll();
    await this.transports?.close();
    this.transports = null;
  }
}

/** The config engine keeps `listen` as items carrying the text as written. */
function listValue(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const items: unknown[] = Array.isArray(v) ? v : [v];
  return items.map((i) => (typeof i === 'object' && i !== null && 'text' in i ? String(i.text) : String(i)));
}

function intGlobal(g: Map<string, unknown>, name: string): number | undefined {
  const v = g.get(name);
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
}

function boolGlobal(g: Map<string, unknown>, name: string): boolean {
  const v = g.get(name);
  return v === true || v === 1 || v === 'yes' || v === 'on' || v === 'true';
}

/** tcp_* globals (seconds in the config) as stream limits. */
function streamLimits(g: Map<string, unknown>): Partial<StreamLimits> {
  const out: Partial<StreamLimits> = {};
  const max = intGlobal(g, 'tcp_max_connections');
  const life = intGlobal(g, 'tcp_connection_lifetime');
  const conn = intGlobal(g, 'tcp_connect_timeout');
  if (max !== undefined) out.maxConnections = max;
  if (life !== undefined) out.lifetimeMs = life * 1000;
  if (conn !== undefined) out.connectTimeoutMs = conn * 1000;
  if (g.has('tcp_crlf_ping')) out.crlfPing = boolGlobal(g, 'tcp_crlf_ping');
  return out;
}
