#!/usr/bin/env node
// `npm test`: every check the project has, in order, with one summary line at the end.
// Static checks first (cheap, catch most mistakes), then unit/integration tests, then the
// renderer build and the browser tests against a real local server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemDeps } from './system-deps.js';

const reports = join('tests', '.tmp');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const missing = ensureSystemDeps();
if (missing.includes('chromium')) {
  console.error("The browser tests need Debian's chromium: apt-get install -y chromium");
  process.exit(1);
}

const steps = [
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  ['types (main, engine, tests)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  [
    'types (renderer)',
    'npx',
    [
      'svelte-check',
      '--tsconfig',
      './src-renderer/tsconfig.json',
      '--fail-on-warnings',
      '--output',
      'human',
    ],
  ],
  ['security (Electronegativity)', 'node', ['scripts/security-scan.js']],
  [
    'unit + integration tests',
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reports}/unit.json`,
    ],
  ],
  ['build (electron-vite)', 'npx', ['electron-vite', 'build']],
  [
    'browser tests',
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'tests/e2e/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reports}/e2e.json`,
    ],
  ],
];

const only = process.argv[2];
const failed = [];
for (const [name, cmd, args] of steps) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed.push(name);
    console.log(`=== ${name}: FAILED (${seconds} s) ===`);
  } else {
    console.log(`=== ${name}: ok (${seconds} s) ===`);
  }
}

let passed = 0;
let failedTests = 0;
let skipped = 0;
for (const file of ['unit.json', 'e2e.json']) {
  const path = join(reports, file);
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failedTests += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log('');
if (failed.length > 0) console.log(`Failed steps: ${failed.join(', ')}`);
console.log(
  `${passed} passed, ${failedTests + (failed.length > 0 && failedTests === 0 ? failed.length : 0)} failed, ${skipped} skipped`,
);
process.exit(failed.length > 0 ? 1 : 0);
