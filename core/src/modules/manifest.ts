/**
 * The `sipr` manifest of a module package: schema (ajv) and core-range check (semver). Both run
 * before any of the module's code is required, so an incompatible module is refused without
 * side effects. ajv and semver are required on first use: a process that loads no module (sipr -V,
 * most unit tests) does not pay for them.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type * as Semver from 'semver';
import type { ModuleManifest } from './types';

/* eslint-disable @typescript-eslint/no-require-imports */
const ajv = () => (require('ajv') as typeof import('ajv')).default;
const semver = () => require('semver') as typeof Semver;
/* eslint-enable @typescript-eslint/no-require-imports */

export const manifestSchema = {
  type: 'object',
  required: ['name', 'interface', 'core', 'entry'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    interface: { enum: ['kamailio', 'ser', 'native'] },
    core: { type: 'string', minLength: 1 },
    entry: { type: 'string', minLength: 1 },
    source: { type: 'string', minLength: 1 },
    description: { type: 'string' },
  },
} as const;

let validator: ValidateFunction | null = null;

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `sipr${e.instancePath.replace(/\//g, '.')}` : 'sipr';
  if (e.keyword === 'additionalProperties') return `${where}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Returns the problems of a manifest ([] when valid). */
export function checkManifest(m: unknown): string[] {
  if (m === undefined) return ['package.json has no "sipr" manifest'];
  if (!validator) {
    const Ajv = ajv();
    validator = new Ajv({ allErrors: true }).compile(manifestSchema);
  }
  if (validator(m)) {
    const range = (m as ModuleManifest).core;
    return semver().validRange(range) ? [] : [`sipr.core "${range}" is not a semver range`];
  }
  return (validator.errors ?? []).map(describe);
}

/** Whether the running core satisfies the module's range (pre-releases of the core included). */
export function coreSatisfies(coreVersion: string, range: string): boolean {
  return semver().satisfies(coreVersion, range, { includePrerelease: true });
}
