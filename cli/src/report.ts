/** How the command prints failures: one line per error, the stack only with -d. */
import { ConfigErrors, SiprError, formatDiagnostic } from '@sipr/core';

export function errorLines(e: unknown, debug: boolean): string[] {
  if (e instanceof ConfigErrors) return e.diagnostics.map(formatDiagnostic);
  if (e instanceof SiprError) return [debug && e.stack ? `${e.format()}\n${e.stack}` : e.format()];
  if (e instanceof Error) return [debug && e.stack ? e.stack : e.message];
  return [String(e)];
}
