/** Kamailio's transport RPCs: core.tcp_info and core.tcp_options, for this process's table. */
import type { Core } from '../core';
import type { TransportLayer } from './layer';

export function registerTransportRpc(core: Core, layer: TransportLayer): void {
  const table = layer.connections;
  const noTcp = () => !layer.sockets.some((s) => s.proto === 'tcp');
  if (!core.rpc.has('core.tcp_info')) {
    core.rpc.register('core', {
      name: 'core.tcp_info',
      doc: 'Returns TCP related info: readers, max_connections, opened_connections, write_queued_bytes.',
      handler: (rpc) => {
        if (noTcp()) return rpc.fault(500, 'tcp support disabled');
        rpc.add({ readers: 1, max_connections: table.limits.maxConnections, opened_connections: table.size, write_queued_bytes: table.queuedBytes() });
      },
    });
  }
  if (!core.rpc.has('core.tcp_options')) {
    core.rpc.register('core', {
      name: 'core.tcp_options',
      doc: 'Returns the TCP settings in force (seconds and counts).',
      handler: (rpc) => {
        if (noTcp()) return rpc.fault(500, 'tcp support disabled');
        const l = table.limits;
        rpc.add({
          connect_timeout: Math.round(l.connectTimeoutMs / 1000),
          connection_lifetime: Math.round(l.lifetimeMs / 1000),
          'max_connections(soft)': l.maxConnections,
          conn_wq_max: l.maxWriteQueue,
        });
      },
    });
  }
}
