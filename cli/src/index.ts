/** The `sipr` command as a library: run it with an argv, or parse its flags. */
export { main } from './main';
export { parseArgs, UsageError, USAGE } from './args';
export type { CliOptions } from './args';
