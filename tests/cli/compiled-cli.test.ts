/**
 * bin/cli-bundle.js: the command line compiled once and kept while its sources are unchanged.
 * A kept build that outlived an edit would run old code, so staleness is what is checked.
 */
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the bin script, no declarations
import { compiledModule } from '../../bin/cli-bundle.js';

const bundleUrl = pathToFileURL(join(process.cwd(), 'bin/cli-bundle.js')).href;

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

type Manifest = {
  build: string;
  settings: { path: string; sha256: string | null }[];
};
const manifestOf = (cacheDir: string) =>
  JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8')) as Manifest;

/** Dates the manifest back, so that a rebuild (which rewrites it) shows as a newer time. */
function ageManifest(cacheDir: string): number {
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(join(cacheDir, 'manifest.json'), past, past);
  return statSync(join(cacheDir, 'manifest.json')).mtimeMs;
}
const rebuilt = (cacheDir: string, since: number) =>
  statSync(join(cacheDir, 'manifest.json')).mtimeMs > since;

/** Compiles in another process, so that this one has not loaded (and cached) its modules. */
function compileElsewhere(root: string, cacheDir: string): void {
  const script =
    'const [url, root, cacheDir] = process.argv.slice(1);' +
    "await (await import(url)).compiledModule({ root, entry: 'main.ts', cacheDir });";
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, bundleUrl, root, cacheDir],
    { encoding: 'utf8' },
  );
  expect(child.stderr).toBe('');
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

  it('compiles again when the tsconfig esbuild reads changes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ahunt-compiled-'));
    dirs.push(root);
    const paths = (file: string) =>
      JSON.stringify({ compilerOptions: { paths: { '@answer': [file] } } });
    writeFileSync(join(root, 'tsconfig.json'), paths('./one.ts'));
    writeFileSync(join(root, 'main.ts'), "export { answer } from '@answer';\n");
    writeFileSync(join(root, 'one.ts'), "export const answer = (): string => 'one';\n");
    writeFileSync(join(root, 'two.ts'), "export const answer = (): string => 'two';\n");
    const cacheDir = join(root, 'cache');
    const load = async () =>
      (await compiledModule({ root, entry: 'main.ts', cacheDir })) as Compiled;
    expect((await load()).answer()).toBe('one');
    // No source changed, only where an import points.
    writeFileSync(join(root, 'tsconfig.json'), paths('./two.ts'));
    expect((await load()).answer()).toBe('two');
  });

  it("stamps esbuild's version and the bundler's own file, and compiles again when one changes", async () => {
    const { root, cacheDir, load } = sources();
    await load();
    const stamped = manifestOf(cacheDir).settings.map((s) => s.path);
    expect(stamped).toContain(join(root, 'tsconfig.json'));
    expect(stamped.some((p) => p.endsWith(join('esbuild', 'package.json')))).toBe(true);
    expect(stamped).toContain(join(process.cwd(), 'bin', 'cli-bundle.js'));
    expect(manifestOf(cacheDir).settings.find((s) => s.path.includes('esbuild'))?.sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );

    // The same mechanism with a stand-in for esbuild's package.json that can be upgraded.
    const esbuildPackage = join(root, 'esbuild-package.json');
    writeFileSync(esbuildPackage, JSON.stringify({ name: 'esbuild', version: '0.28.2' }));
    const withStandIn = () =>
      compiledModule({ root, entry: 'main.ts', cacheDir, settingsFiles: [esbuildPackage] });
    await withStandIn();
    let since = ageManifest(cacheDir);
    await withStandIn();
    expect(rebuilt(cacheDir, since)).toBe(false);
    writeFileSync(esbuildPackage, JSON.stringify({ name: 'esbuild', version: '0.28.3' }));
    since = ageManifest(cacheDir);
    await withStandIn();
    expect(rebuilt(cacheDir, since)).toBe(true);
  });

  it('compiles again when a kept chunk is missing', async () => {
    const { cacheDir, load } = sources();
    await load();
    const dir = join(cacheDir, manifestOf(cacheDir).build);
    const chunk = readdirSync(dir).find((f) => f !== 'main.js' && f.endsWith('.js'))!;
    unlinkSync(join(dir, chunk));
    // Only the lazily imported chunk went: the old build would start and fail on first use.
    expect(await (await load()).lazy()).toBe('loaded when asked');
  });

  it('compiles again, into a new folder, when a kept module fails to load', async () => {
    const { root, cacheDir, load } = sources();
    compileElsewhere(root, cacheDir);
    const damaged = manifestOf(cacheDir).build;
    const main = join(cacheDir, damaged, 'main.js');
    // Same size, so only loading it finds out.
    writeFileSync(main, '@'.repeat(statSync(main).size));
    expect((await load()).answer()).toBe('one');
    expect(manifestOf(cacheDir).build).not.toBe(damaged);
  });

  it('says in one sentence what to do when even a fresh compile does not load', async () => {
    const { root, cacheDir, load } = sources();
    writeFileSync(join(root, 'main.ts'), "throw new Error('broken at load');\nexport {};\n");
    const failure = await load().then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.name).toBe('CompiledCliError');
    expect(failure?.message).toContain('broken at load');
    expect(failure?.message).toContain(cacheDir);
    expect(failure?.message).toMatch(/AHUNT_CLI_FROM_SOURCE=1.*delete that folder/);
    expect(failure?.message.split('. ')).toHaveLength(1);
  });
});
