/** Running a SIP server: the message path, one process, and the worker pool. */
export { MessagePath } from './message-path';
export { Server } from './server';
export { catchUncaught } from './uncaught';
export type { ServerOptions } from './server';
export { WorkerPool, isWorker, workerRank, reportReady, reportFatal } from './workers';
export { forwardReply, viaIsOurs } from './reply-forward';
