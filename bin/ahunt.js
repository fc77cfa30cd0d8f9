#!/usr/bin/env node
// The `ahunt` command runs from the TypeScript sources, so it works right after `npm ci` with
// no build step: compiled once and kept while the sources are unchanged (cli-bundle.js), or
// through tsx where that cannot be done (AHUNT_CLI_FROM_SOURCE=1 asks for tsx: stack traces
// then name the .ts files).
import { compiledCli } from './cli-bundle.js';

let main = process.env.AHUNT_CLI_FROM_SOURCE === '1' ? null : await compiledCli();
if (!main) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
