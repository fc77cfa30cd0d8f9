/**
 * The servers serve out/renderer: build it when it is missing or older than any renderer
 * source, with the renderer-only vite config (the Electron bundles are not needed here).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { demoTemplateDir, hasChromium, repoRoot, spawnServe } from './harness';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function buildRenderer(): void {
  const built = join(repoRoot, 'out/renderer/index.html');
  const sources = join(repoRoot, 'src-renderer');
  const contract = statSync(join(repoRoot, 'src-main/contract/contract.ts')).mtimeMs;
  const stale =
    !existsSync(built) || statSync(built).mtimeMs < Math.max(newestMtime(sources), contract);
  if (!stale) return;
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'tests/e2e/renderer.vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
}

/** The demo survey takes a while to generate: make it once per run, tests copy it. */
async function prepareDemoTemplate(): Promise<void> {
  rmSync(demoTemplateDir, { recursive: true, force: true });
  mkdirSync(demoTemplateDir, { recursive: true });
  const serve = await spawnServe(null, 'template-token-for-the-demo', {
    AHUNT_HOME: demoTemplateDir,
  });
  await serve.stop();
}

export default async function setup(): Promise<void> {
  if (!hasChromium) return;
  buildRenderer();
  await prepareDemoTemplate();
}
