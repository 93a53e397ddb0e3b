/**
 * Errors sipr reports to operators. Every error has a stable code (so docs, tests and tools can
 * refer to it) and, where it comes from a file, the place as file:line:column.
 */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export interface Diagnostic extends Partial<SourcePos> {
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

export class SiprError extends Error {
  readonly code: string;
  readonly pos?: SourcePos;
  constructor(code: string, message: string, pos?: SourcePos) {
    super(message);
    this.name = 'SiprError';
    this.code = code;
    this.pos = pos;
  }

  /** One line for the operator: `file:line:column: message` (or just the message). */
  format(): string {
    return formatDiagnostic({ code: this.code, message: this.message, severity: 'error', ...this.pos });
  }
}

/** Raised by config checking with every error found (not only the first). */
export class ConfigErrors extends SiprError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super('SIPR_CFG', diagnostics.map(formatDiagnostic).join('\n'));
    this.diagnostics = diagnostics;
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.line ?? 0}:${d.column ?? 0}: ` : '';
  const sev = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}${sev}${d.message}`;
}

/** Stable error codes. Add here, document in docs/errors.md. */
export const ErrorCode = {
  CONFIG_SYNTAX: 'SIPR_CFG_SYNTAX',
  CONFIG_SEMANTIC: 'SIPR_CFG_SEMANTIC',
  CONFIG_INCLUDE: 'SIPR_CFG_INCLUDE',
  MODULE_NOT_FOUND: 'SIPR_MOD_NOT_FOUND',
  MODULE_MANIFEST: 'SIPR_MOD_MANIFEST',
  MODULE_CORE_RANGE: 'SIPR_MOD_CORE_RANGE',
  MODULE_INIT: 'SIPR_MOD_INIT',
  MODULE_DUPLICATE: 'SIPR_MOD_DUPLICATE',
  MODPARAM: 'SIPR_MODPARAM',
  UNKNOWN_FUNCTION: 'SIPR_CFG_UNKNOWN_FUNCTION',
  FIXUP: 'SIPR_CFG_FIXUP',
  LISTEN: 'SIPR_LISTEN',
  RPC_FAULT: 'SIPR_RPC_FAULT',
  PV_SYNTAX: 'SIPR_CFG_PV',
  PV_WRITE: 'SIPR_PV_WRITE',
  PV_DUPLICATE: 'SIPR_PV_DUPLICATE',
  SELECT_SYNTAX: 'SIPR_CFG_SELECT',
} as const;
