/**
 * The last resort of a serving process: an error no code caught (a module's timer, a socket
 * callback, a Promise nobody waited for) is logged and counted, and the process keeps serving
 * the messages that do not touch the failing code. Rate-limited: a failing interval must not
 * flood the log.
 */
import type { Core } from '../core';
import { LogLevel } from '../log';
import { RateLimitedLog } from './rate-log';

/** Installs the handlers; the returned function removes them. */
export function catchUncaught(core: Core): () => void {
  const log = new RateLimitedLog(core.log, LogLevel.ERR);
  const onError = (e: unknown) => {
    core.failures.uncaught++;
    log.write(() => `uncaught error: ${core.log.describe(e)}`);
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}
