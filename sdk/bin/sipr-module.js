#!/usr/bin/env node
'use strict';
const { runCli } = require('../dist/cli.js');
process.exitCode = runCli(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
