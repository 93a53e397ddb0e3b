/**
 * `sipr-module`: `new <dir> --name <module> [--shape kamailio|ser] [--package <npm name>]` writes a
 * module package; `catalogue [root]` rewrites <root>/registry.json from the plugins' exports.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scaffoldModule } from './scaffold';
import { buildCatalogue, formatCatalogue } from './catalogue';

const USAGE = 'usage: sipr-module new <dir> --name <module> [--shape kamailio|ser] [--package <npm name>]\n       sipr-module catalogue [repository root]';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs one command; returns the process exit code. */
export function runCli(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    if (args[0] === 'new' && args[1] && !args[1].startsWith('--')) {
      const name = option(args, '--name');
      const shape = option(args, '--shape') ?? 'kamailio';
      if (!name || (shape !== 'kamailio' && shape !== 'ser')) throw new Error(USAGE);
      const dir = resolve(args[1]);
      const files = scaffoldModule(dir, { name, shape, packageName: option(args, '--package') });
      out(`created ${dir}: ${files.join(', ')}`);
      return 0;
    }
    if (args[0] === 'catalogue') {
      const root = resolve(args[1] ?? '.');
      const cat = buildCatalogue(root);
      writeFileSync(join(root, 'registry.json'), formatCatalogue(cat));
      out(`registry.json: ${cat.modules.length} modules`);
      return 0;
    }
    err(USAGE);
    return 2;
  } catch (e) {
    err(`sipr-module: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
