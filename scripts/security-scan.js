#!/usr/bin/env node
// `npm test`'s security step: Electronegativity over the desktop shell and the page it loads,
// failing on any finding of MEDIUM severity or above. A finding that was reviewed and is
// intended carries an `eng-disable CHECK_ID` comment with its reason at the line it names.
//
// What is scanned is what decides the desktop app's security: package.json (the Electron
// version), src-main/electron (window options, session, IPC, protocol) and the renderer's
// index.html (its CSP). They are copied to a temporary folder so that a local build in out/
// or test code cannot add findings of its own. The engine and the renderer's code hold no
// Electron api.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const electronVersion = require('electron/package.json').version;

const BLOCKING = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);
const scratch = mkdtempSync(join(tmpdir(), 'ahunt-electronegativity-'));
try {
  cpSync('package.json', join(scratch, 'package.json'));
  cpSync('src-main/electron', join(scratch, 'src-main/electron'), { recursive: true });
  cpSync('src-renderer/index.html', join(scratch, 'src-renderer/index.html'));
  const result = await run({
    input: scratch,
    isRelative: true,
    isVerbose: true,
    electronVersionOverride: electronVersion,
  });
  // Offline, Electronegativity cannot fetch Electron's release notes; that check is about the
  // version's own advisories, which npm audit covers, so it is not treated as a finding here.
  const findings = result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    where: `${i.file}:${i.location.line}:${i.location.column}`,
    description: i.description,
  }));
  for (const f of findings)
    console.log(`${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id} ${f.where}`);
  if (result.errors.length > 0) {
    console.log(
      `Electronegativity could not parse: ${result.errors.map((e) => e.file).join(', ')}`,
    );
    process.exitCode = 1;
  }
  const blocking = findings.filter((f) => BLOCKING.has(f.severity));
  console.log(
    `${result.globalChecks + result.atomicChecks} checks, ${findings.length} findings, ` +
      `${blocking.length} of medium severity or above`,
  );
  for (const f of blocking) console.log(`  ${f.id} at ${f.where}: ${f.description}`);
  if (blocking.length > 0) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
