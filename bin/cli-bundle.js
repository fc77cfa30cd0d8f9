// The command line as compiled JavaScript, kept between runs.
//
// Run through tsx, every command first compiled ~200 TypeScript files one by one (in tsx's
// loader thread, with source maps): about 1 CPU-second before any work, more than the work
// itself for `ahunt find` or a small ingest. Here esbuild compiles the CLI once into a few ES
// modules under node_modules/.cache/ahunt-cli/ (inside node_modules, so the packages resolve
// from there as from the sources) and later runs load them while no source has changed.
// Lazily imported modules stay separate chunks, so a command still loads only what it uses.
//
// Code that finds files beside itself (workers, the repository root) reads import.meta.url:
// each module keeps its source file's URL, so it behaves exactly as under tsx.
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The CLI's `main`, compiled; null when it cannot be compiled here (then use tsx). */
export async function compiledCli() {
  const cli = await compiledModule({
    root: repoRoot,
    entry: 'src-main/cli/main.ts',
    cacheDir: join(repoRoot, 'node_modules/.cache/ahunt-cli'),
  });
  return cli?.main ?? null;
}

/**
 * `entry` (relative to `root`) compiled with everything it imports from `root`, kept in
 * `cacheDir` and reused while every source has the size and time it had then.
 */
export async function compiledModule({ root, entry, cacheDir }) {
  const where = { root, entry, cacheDir, manifestFile: join(cacheDir, 'manifest.json') };
  const dir = keptBuild(where) ?? (await build(where).catch(() => null));
  return dir ? import(pathToFileURL(join(dir, 'main.js')).href) : null;
}

function stampOf(path) {
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

function keptBuild({ root, cacheDir, manifestFile }) {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    for (const input of manifest.inputs) {
      const now = stampOf(join(root, input.path));
      if (now.size !== input.size || now.mtimeMs !== input.mtimeMs) return null;
    }
    const dir = join(cacheDir, manifest.build);
    statSync(join(dir, 'main.js'));
    return dir;
  } catch {
    return null; // none yet, unreadable, or a source changed or went: compile again
  }
}

async function build({ root, entry, cacheDir, manifestFile }) {
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const staging = join(cacheDir, `staging-${process.pid}-${Date.now()}`);
  const result = await build({
    entryPoints: { main: join(root, entry) },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: staging,
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
    plugins: [keepSourceUrls],
  });
  const inputs = Object.keys(result.metafile.inputs).map((path) => ({
    path,
    ...stampOf(join(root, path)),
  }));
  // Named by content: two commands compiling at once produce the same folder, and the
  // second rename fails harmlessly.
  const hash = createHash('sha256');
  for (const file of Object.keys(result.metafile.outputs).sort()) {
    hash.update(file.slice(relative(root, staging).length)).update(readFileSync(join(root, file)));
  }
  const name = `build-${hash.digest('hex').slice(0, 16)}`;
  const dir = join(cacheDir, name);
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  const temporary = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ build: name, inputs }));
  renameSync(temporary, manifestFile);
  removeOldBuilds(cacheDir, name);
  return dir;
}

/**
 * A running command (a server) may still load chunks from the build it started with, so old
 * builds are kept a week, and the newest few whatever their age.
 */
function removeOldBuilds(cacheDir, current) {
  const week = 7 * 24 * 3600 * 1000;
  const builds = readdirSync(cacheDir)
    .filter((name) => name.startsWith('build-') && name !== current)
    .map((name) => ({ name, mtimeMs: statSync(join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const [i, b] of builds.entries()) {
    if (i >= 8 || Date.now() - b.mtimeMs > week) {
      rmSync(join(cacheDir, b.name), { recursive: true, force: true });
    }
  }
}

/** import.meta.url and import.meta.dirname become the source file's, as under tsx. */
const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.')) return undefined;
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      return { contents, loader: 'ts' };
    });
  },
};
