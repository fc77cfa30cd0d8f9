import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stampOf } from './stamp';
import type { FileStamp } from './types';

/**
 * The decoding worker as one ES module, for runs from TypeScript sources (the CLI under
 * tsx, tests). Bundling takes ~0.1 s of a core and sits before the first file can be
 * decoded, so the bundle is kept in the OS temp folder with the size and time of every
 * source it was made from, and reused while none of them has changed: a second ingest
 * starts its workers at once, and an edited source is bundled again.
 */
export function workerBundle(entry: URL): Promise<string> {
  let pending = bundles.get(entry.href);
  if (!pending) {
    pending = cachedOrBuiltBundle(fileURLToPath(entry));
    bundles.set(entry.href, pending);
  }
  return pending;
}

const bundles = new Map<string, Promise<string>>();

interface CachedBundle {
  /** Each source file the code was bundled from, with its stamp then. */
  inputs: ({ path: string } & FileStamp)[];
  code: string;
}

/** Where the bundle of this entry file is kept. */
export function bundleCacheFile(entryPath: string): string {
  const key = createHash('sha256').update(entryPath).digest('hex').slice(0, 16);
  return join(tmpdir(), `ahunt-worker-${key}.json`);
}

/** The kept bundle while its sources are unchanged, else a new one (then kept). */
export async function cachedOrBuiltBundle(entryPath: string): Promise<string> {
  const cacheFile = bundleCacheFile(entryPath);
  const cached = readCache(cacheFile);
  if (cached) return cached;
  const { code, inputs } = await build(entryPath);
  writeCache(cacheFile, {
    inputs: inputs.map((path) => ({ path, ...stampOf(statSync(path)) })),
    code,
  });
  return code;
}

function readCache(file: string): string | null {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CachedBundle;
    const unchanged = cached.inputs.every(({ path, size, mtimeMs }) => {
      const now = stampOf(statSync(path));
      return now.size === size && now.mtimeMs === mtimeMs;
    });
    return unchanged && typeof cached.code === 'string' ? cached.code : null;
  } catch {
    return null; // none yet, unreadable, or a source is gone: bundle again
  }
}

/** Written whole or not at all (a concurrent reader never sees half a file). */
function writeCache(file: string, bundle: CachedBundle): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(bundle));
    renameSync(temporary, file);
  } catch {
    // A read-only or full temp folder only costs the next run its bundling time.
  }
}

async function build(entryPath: string): Promise<{ code: string; inputs: string[] }> {
  const require = createRequire(pathToFileURL(entryPath));
  const { build } = (await import('esbuild')) as typeof import('esbuild');
  const result = await build({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    absWorkingDir: process.cwd(),
    logLevel: 'silent',
    plugins: [
      {
        // A data: URL module cannot resolve bare specifiers: packages become absolute URLs.
        name: 'absolute-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('node:')
              ? { path: args.path, external: true }
              : { path: pathToFileURL(require.resolve(args.path)).href, external: true },
          );
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => join(process.cwd(), p));
  return { code: result.outputFiles[0]!.text, inputs };
}
