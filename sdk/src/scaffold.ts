/**
 * A new third-party module package: manifest, a module in the chosen shape with one function and
 * one param, a README with the sections every module documents, and a test on the harness.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_VERSION } from '@sipr/core';

export interface ScaffoldOptions {
  /** module name (loadmodule/modparam name): letters, digits, '_' */
  name: string;
  shape: 'kamailio' | 'ser';
  /** npm package name; default sipr-mod-<name> */
  packageName?: string;
}

const SDK_RANGE = `^${CORE_VERSION}`;

function moduleSource(name: string, shape: 'kamailio' | 'ser'): string {
  const define = shape === 'kamailio' ? 'defineKamailioModule' : 'defineSerModule';
  const fixup = shape === 'kamailio' ? 'fixup_spve_null' : 'fixup_var_str_1';
  const cmd = shape === 'kamailio'
    ? `['${name}_hello', hello, 1, ${fixup}, null, REQUEST_ROUTE]`
    : `['${name}_hello', hello, 1, ${fixup}, REQUEST_ROUTE]`;
  return `'use strict';
// The ${name} module (${shape} shape). Functions are called as fn(ctx, ...fixedParams) and return
// >0 for true, <0 for false, 0 to stop the script.
const { ${define}, ${fixup}, get_str_fparam, REQUEST_ROUTE, PARAM_STRING } = require('@sipr/sdk');

const greeting = { value: 'Hello' };

/** ${name}_hello(who): adds "X-Hello: <greeting>, <who>" to the replies of this request */
function hello(ctx, who) {
  const name = get_str_fparam(ctx, who);
  if (name === null) return -1;
  ctx.msg.addReplyHeader(\`X-Hello: \${greeting.value}, \${name}\\r\\n\`);
  return 1;
}

module.exports = ${define}({
  name: '${name}',
  version: '0.1.0',
  cmds: [
    ${cmd},
  ],
  params: [
    ['greeting', PARAM_STRING, greeting],
  ],
});
`;
}

function testSource(name: string): string {
  return `'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { join } = require('node:path');
const { ModuleHarness } = require('@sipr/sdk');

const OPTIONS = 'OPTIONS sip:bob@127.0.0.1 SIP/2.0\\r\\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-t\\r\\n'
  + 'From: <sip:a@127.0.0.1>;tag=1\\r\\nTo: <sip:bob@127.0.0.1>\\r\\nCall-ID: t1\\r\\nCSeq: 1 OPTIONS\\r\\nContent-Length: 0\\r\\n\\r\\n';

test('${name}_hello adds its header to the reply', async () => {
  const h = await ModuleHarness.create({ modules: [join(__dirname, '..'), 'sl'], params: [['${name}', 'greeting', 'Hi']] });
  const ctx = h.context(h.message(OPTIONS));
  assert.strictEqual(h.call('${name}_hello', ['bob'], ctx).rc, 1);
  assert.strictEqual(h.call('sl_send_reply', ['200', 'OK'], ctx).rc, 1);
  assert.match(h.sentText()[0], /\\r\\nX-Hello: Hi, bob\\r\\n/);
  await h.destroy();
});
`;
}

function readme(name: string, shape: string): string {
  return `# ${name}

## Overview

A sipr module (${shape} shape).

## Dependencies

None besides sipr (@sipr/core ${SDK_RANGE}); \`${name}_hello\` shows in replies sent by sl.

## Parameters

### greeting (string)

The word used by \`${name}_hello\`. Default: \`Hello\`.

## Functions

### ${name}_hello(who)

Adds \`X-Hello: <greeting>, <who>\` to the replies of the current request. \`who\` may contain
pseudo-variables. Request routes.

## RPC

None.

## Examples

\`\`\`
loadmodule "sl.so"
loadmodule "sipr-mod-${name}"
modparam("${name}", "greeting", "Hi")
request_route { ${name}_hello("$fU"); sl_send_reply("200", "OK"); }
\`\`\`

## Event routes

None.
`;
}

/** Write the package into dir (which must be empty or absent); returns the files written. */
export function scaffoldModule(dir: string, opts: ScaffoldOptions): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(opts.name)) throw new Error(`invalid module name "${opts.name}" (letters, digits and _)`);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  const pkg = {
    name: opts.packageName ?? `sipr-mod-${opts.name}`,
    version: '0.1.0',
    description: `sipr module ${opts.name}`,
    license: 'MIT',
    main: 'index.js',
    files: ['index.js', 'README.md'],
    scripts: { test: 'node --test test/' },
    keywords: ['sipr', 'sipr-module', 'sip'],
    peerDependencies: { '@sipr/sdk': SDK_RANGE },
    sipr: { name: opts.name, interface: opts.shape, core: SDK_RANGE, entry: 'index.js', description: `sipr module ${opts.name}` },
  };
  const files: [string, string][] = [
    ['package.json', `${JSON.stringify(pkg, null, 2)}\n`],
    ['index.js', moduleSource(opts.name, opts.shape)],
    ['README.md', readme(opts.name, opts.shape)],
    [join('test', `${opts.name}.test.js`), testSource(opts.name)],
  ];
  mkdirSync(join(dir, 'test'), { recursive: true });
  for (const [f, text] of files) writeFileSync(join(dir, f), text);
  return files.map(([f]) => f);
}
