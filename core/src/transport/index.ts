/** The transport layer: listen values, sockets, the stream connection table, the Sender. */
export * from './types';
export { parseListen, listenSpecs, OPEN_PROTOS } from './listen';
export type { ListenSpec } from './listen';
export { socketInfo } from './socket-info';
export { TransportLayer } from './layer';
export type { TransportOptions } from './layer';
export { ConnectionTable, DEFAULT_STREAM_LIMITS } from './connections';
export type { StreamLimits } from './connections';
export type { Framer, Connection } from './connection';
export { registerTransportRpc } from './rpc';
