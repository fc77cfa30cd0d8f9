import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleCacheFile, cachedOrBuiltBundle } from '../../src-main/engine/ingest/worker-bundle';
import { tempDir } from './helpers';

describe('worker bundle cache', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('reuses the kept bundle while its sources are unchanged and rebundles an edited one', async () => {
    const t = tempDir();
    const entry = join(t.dir, 'entry.ts');
    const cache = bundleCacheFile(entry);
    cleanup = () => {
      t.cleanup();
      rmSync(cache, { force: true });
    };
    writeFileSync(entry, "import { marker } from './dep';\nconsole.log(marker);\n");
    writeFileSync(join(t.dir, 'dep.ts'), "export const marker: string = 'first';\n");

    expect(await cachedOrBuiltBundle(entry)).toContain('first');
    expect(existsSync(cache)).toBe(true);

    // Unchanged sources: the kept code is returned as it is (a sentinel proves no rebuild).
    const kept = JSON.parse(readFileSync(cache, 'utf8'));
    writeFileSync(cache, JSON.stringify({ ...kept, code: '// kept' }));
    expect(await cachedOrBuiltBundle(entry)).toBe('// kept');

    // An imported file changes: bundled again, with the new code.
    writeFileSync(join(t.dir, 'dep.ts'), "export const marker: string = 'second, longer';\n");
    const rebuilt = await cachedOrBuiltBundle(entry);
    expect(rebuilt).toContain('second, longer');
    expect(rebuilt).not.toContain('first');
  });
});
