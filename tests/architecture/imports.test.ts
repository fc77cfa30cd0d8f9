/**
 * The arrows of the house, checked on every import: doors → app → engine → store, with the
 * contract a leaf everyone may use and the renderer seeing nothing of main but the contract.
 * A newcomer finds any behaviour in two hops (door → app api → engine module); a back-edge
 * would make that a maze again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(ts|svelte)$/.test(d.name))
    .map((d) => relative(root, join(d.parentPath, d.name)));
}

/** Every relative import of a file, resolved to a repository path (no extension). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    found.push(relative(root, resolve(root, dirname(file), m[1]!)));
  }
  return found;
}

/** Where a path sits: the layer names this test speaks of. */
function layerOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'src-renderer') return 'renderer';
  if (parts[0] !== 'src-main') return 'outside';
  const top = parts[1]!;
  if (top === 'engine') return parts[2] === 'store' ? 'store' : 'engine';
  return top; // contract, app, electron, server, cli, lab
}

/** Which layers each layer may import (itself always). */
const allowed: Record<string, readonly string[]> = {
  contract: [],
  store: ['contract', 'engine-leaf'],
  engine: ['contract', 'store'],
  app: ['contract', 'engine', 'store'],
  electron: ['contract', 'app'],
  server: ['contract', 'app'],
  // The command line is a door onto the app api (and starts the server door for serve); its
  // lab tools are loaded from its registry.
  cli: ['contract', 'app', 'server', 'lab'],
  // Lab tools (FITS inspection, simulation, benchmarks) use the engine directly, and the
  // command line's plumbing to be commands; nothing imports them but the registry.
  lab: ['contract', 'engine', 'store', 'cli'],
  renderer: ['contract'],
};

/** Leaf modules of the engine that hold no behaviour the store could loop back into. */
const ENGINE_LEAVES = [
  'src-main/engine/file-io',
  'src-main/engine/image-batch',
  'src-main/engine/random',
];

function violations(dirs: string[]): string[] {
  const found: string[] = [];
  for (const file of dirs.flatMap(sources)) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      let to = layerOf(target);
      if (to === 'outside' || to === from) continue;
      if (to === 'engine' && ENGINE_LEAVES.includes(target)) to = 'engine-leaf';
      const ok =
        allowed[from]!.includes(to) ||
        (to === 'engine-leaf' && from !== 'renderer' && from !== 'contract');
      if (!ok) found.push(`${file} → ${target} (${from} must not import ${to})`);
    }
  }
  return found;
}

describe('the architecture', () => {
  it('has no import against the arrows: doors → app → engine → store; renderer → contract', () => {
    expect(violations(['src-main', 'src-renderer'])).toEqual([]);
  });

  it('would see a back-edge (the checker is not blind)', () => {
    expect(layerOf('src-main/engine/hunt/session')).toBe('engine');
    expect(allowed.engine).not.toContain('app');
    expect(allowed.store).not.toContain('engine');
    expect(allowed.electron).not.toContain('engine');
  });
});
