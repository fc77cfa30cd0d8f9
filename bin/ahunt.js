#!/usr/bin/env node
// The `ahunt` command runs from the TypeScript sources, so it works right after `npm ci` with
// no build step: compiled once and kept while the sources are unchanged (cli-bundle.js), or
// through tsx where that cannot be done (AHUNT_CLI_FROM_SOURCE=1 asks for tsx: stack traces
// then name the .ts files).
import { CompiledCliError, compiledCli } from './cli-bundle.js';

let main = null;
try {
  main = process.env.AHUNT_CLI_FROM_SOURCE === '1' ? null : await compiledCli();
} catch (error) {
  // A build that does not load even when compiled afresh: one sentence, not a stack trace.
  if (!(error instanceof CompiledCliError)) throw error;
  console.error(`ahunt: ${error.message}`);
  process.exit(1);
}
if (!main) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
