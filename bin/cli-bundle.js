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
import { createRequire } from 'node:module';
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

/** A kept build that would not load even when compiled afresh; its message says what to do. */
export class CompiledCliError extends Error {
  name = 'CompiledCliError';
}

/**
 * Besides the sources, what shapes the compiled code: the tsconfig esbuild reads, esbuild's
 * version (its package.json) and this file's build options. A change in any of them is a new
 * build, as a changed source is.
 */
function defaultSettingsFiles(root) {
  let esbuildPackage = null;
  try {
    esbuildPackage = createRequire(import.meta.url).resolve('esbuild/package.json');
  } catch {
    // Not installed: nothing compiles, and the command runs through tsx.
  }
  return [join(root, 'tsconfig.json'), esbuildPackage, fileURLToPath(import.meta.url)];
}

/**
 * `entry` (relative to `root`) compiled with everything it imports from `root`, kept in
 * `cacheDir` and reused while every source has the size and time it had then and every file
 * of `settingsFiles` its content. A kept build that is missing a chunk, or fails to load, is
 * compiled again once; null when nothing can be compiled (no esbuild, a source that does not
 * compile: tsx then runs the sources and reports it).
 */
export async function compiledModule({
  root,
  entry,
  cacheDir,
  settingsFiles = defaultSettingsFiles(root),
}) {
  const where = {
    root,
    entry,
    cacheDir,
    manifestFile: join(cacheDir, 'manifest.json'),
    settings: settingsStamp(settingsFiles),
  };
  const kept = keptBuild(where);
  if (kept) {
    try {
      return await import(mainUrl(kept));
    } catch {
      // A chunk damaged or changed since it was written: compiled again below, into a new folder.
    }
  }
  const dir = await build(where, kept).catch(() => null);
  if (!dir) return null;
  try {
    return await import(mainUrl(dir));
  } catch (error) {
    throw new CompiledCliError(
      `The command line compiled into ${cacheDir} does not load even after a fresh compile ` +
        `(${error?.message ?? error}); run it from the sources with AHUNT_CLI_FROM_SOURCE=1, ` +
        'or delete that folder and try again.',
    );
  }
}

const mainUrl = (dir) => pathToFileURL(join(dir, 'main.js')).href;

function stampOf(path) {
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/** Each settings file's path and content hash (null: absent), in the order given. */
function settingsStamp(files) {
  return files.map((path) => {
    if (!path) return { path, sha256: null };
    try {
      return { path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
    } catch {
      return { path, sha256: null };
    }
  });
}

/** Whether every chunk a build wrote is still there at the size it was written. */
function intact(dir, outputs) {
  try {
    return outputs.every((o) => statSync(join(dir, o.file)).size === o.size);
  } catch {
    return false;
  }
}

function keptBuild({ root, cacheDir, manifestFile, settings }) {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (JSON.stringify(manifest.settings) !== JSON.stringify(settings)) return null;
    for (const input of manifest.inputs) {
      const now = stampOf(join(root, input.path));
      if (now.size !== input.size || now.mtimeMs !== input.mtimeMs) return null;
    }
    const dir = join(cacheDir, manifest.build);
    return intact(dir, manifest.outputs) ? dir : null;
  } catch {
    return null; // none yet, unreadable, or a source, a setting or a chunk changed or went
  }
}

/** Compiles into a new build folder; `failed`, a kept build that would not load, is replaced. */
async function build({ root, entry, cacheDir, manifestFile, settings }, failed) {
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
  const prefix = relative(root, staging).length + 1;
  const outputs = Object.keys(result.metafile.outputs)
    .sort()
    .map((file) => ({ file: file.slice(prefix), size: statSync(join(root, file)).size }));
  // Named by content: two commands compiling at once produce the same folder, and the
  // second rename fails harmlessly.
  const hash = createHash('sha256');
  for (const { file } of outputs) hash.update(file).update(readFileSync(join(staging, file)));
  let name = `build-${hash.digest('hex').slice(0, 16)}`;
  // A folder of that name that failed to load stays failed in this process (Node keeps a
  // module's error under its URL), and one missing a chunk is no build: either is replaced,
  // under a name of its own.
  if (join(cacheDir, name) === failed || !intactOrAbsent(join(cacheDir, name), outputs)) {
    rmSync(join(cacheDir, name), { recursive: true, force: true });
    if (join(cacheDir, name) === failed) name = `${name}-${process.pid}-${Date.now()}`;
  }
  const dir = join(cacheDir, name);
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  const temporary = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ build: name, inputs, outputs, settings }));
  renameSync(temporary, manifestFile);
  removeOldBuilds(cacheDir, name);
  return dir;
}

function intactOrAbsent(dir, outputs) {
  try {
    statSync(dir);
  } catch {
    return true;
  }
  return intact(dir, outputs);
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
