import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts decoding workers. From built JavaScript the worker is `worker.js` beside this file
 * (the desktop build must emit it as its own entry). From TypeScript sources (tsx, vitest)
 * a worker cannot load worker.ts by itself: on Node 20, `execArgv: ['--import', 'tsx']`
 * does NOT reach a worker's entry module (ERR_UNKNOWN_FILE_EXTENSION, checked on 20.20).
 * So the worker code is bundled once per process with esbuild (tsx's own compiler) into
 * one ES module that workers start from a data: URL — half the CPU of starting tsx in every
 * thread. Should esbuild be unavailable, each worker registers tsx and imports worker.ts.
 */
export async function spawnDecodeWorkers(count: number): Promise<Worker[]> {
  const here = import.meta.url;
  let entry: URL;
  if (!here.endsWith('.ts')) entry = new URL('./worker.js', here);
  else {
    const code = (await bundledWorker().catch(() => null)) ?? tsxBootstrap(here);
    entry = new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  }
  return Array.from({ length: count }, () => new Worker(entry));
}

let bundle: Promise<string> | null = null;

function bundledWorker(): Promise<string> {
  bundle ??= (async () => {
    const require = createRequire(import.meta.url);
    const { build } = (await import('esbuild')) as typeof import('esbuild');
    const result = await build({
      entryPoints: [new URL('./worker.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
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
    return result.outputFiles[0]!.text;
  })();
  return bundle;
}

function tsxBootstrap(here: string): string {
  const require = createRequire(here);
  const tsxRoot = pathToFileURL(require.resolve('tsx/package.json'));
  const register = new URL('./dist/esm/api/index.mjs', tsxRoot).href;
  const entry = new URL('./worker.ts', here).href;
  return (
    `import { register } from ${JSON.stringify(register)};\n` +
    `register();\n` +
    `await import(${JSON.stringify(entry)});\n`
  );
}
