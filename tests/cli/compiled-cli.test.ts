/**
 * bin/cli-bundle.js: the command line compiled once and kept while its sources are unchanged.
 * A kept build that outlived an edit would run old code, so staleness is what is checked.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the bin script, no declarations
import { compiledModule } from '../../bin/cli-bundle.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

type Compiled = { answer: () => string; lazy: () => Promise<string>; here: string };

function sources(): { root: string; cacheDir: string; load: () => Promise<Compiled> } {
  const root = mkdtempSync(join(tmpdir(), 'ahunt-compiled-'));
  dirs.push(root);
  writeFileSync(join(root, 'main.ts'), "export { answer } from './part';\n" + lazyAndHere);
  writeFileSync(join(root, 'part.ts'), "export const answer = (): string => 'one';\n");
  writeFileSync(join(root, 'later.ts'), "export const later: string = 'loaded when asked';\n");
  const cacheDir = join(root, 'cache');
  // A new build is a new folder (named by its content), so a stale module is never reused.
  const load = async () => (await compiledModule({ root, entry: 'main.ts', cacheDir })) as Compiled;
  return { root, cacheDir, load };
}

const lazyAndHere =
  "export const lazy = async (): Promise<string> => (await import('./later')).later;\n" +
  'export const here: string = import.meta.url;\n';

describe('the compiled command line', () => {
  it('compiles once, reuses the build, and compiles again when a source changes', async () => {
    const { root, cacheDir, load } = sources();
    expect((await load()).answer()).toBe('one');
    const manifest = join(cacheDir, 'manifest.json');
    const firstWrite = statSync(manifest).mtimeMs;

    expect((await load()).answer()).toBe('one');
    expect(statSync(manifest).mtimeMs).toBe(firstWrite); // reused, not rebuilt

    // Same size, new content and time: the stamp must still catch it.
    writeFileSync(join(root, 'part.ts'), "export const answer = (): string => 'two';\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'part.ts'), later, later);
    expect((await load()).answer()).toBe('two');
  });

  it('keeps each module its source URL and lazy imports as separate chunks', async () => {
    const { root, cacheDir, load } = sources();
    const compiled = await load();
    expect(compiled.here).toBe(pathToFileURL(join(root, 'main.ts')).href);
    expect(await compiled.lazy()).toBe('loaded when asked');
    const build = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8')).build;
    const main = readFileSync(join(cacheDir, build, 'main.js'), 'utf8');
    expect(main).not.toContain('loaded when asked');
  });

  it('runs the real CLI the same way as from the TypeScript sources', () => {
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['bin/ahunt.js', 'find', '/nonexistent-project'], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const compiled = run({});
    const fromSource = run({ AHUNT_CLI_FROM_SOURCE: '1' });
    expect(compiled.status).toBe(1);
    expect(compiled.stderr).toContain('does not exist');
    expect(compiled.stderr).toBe(fromSource.stderr);
    expect(compiled.status).toBe(fromSource.status);
  });
});
