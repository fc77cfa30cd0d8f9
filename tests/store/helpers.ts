import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openDatabase,
  seedClasses,
  insertObject,
  recordSource,
  type Db,
} from '../../src-main/engine/store';

export function tempDir(prefix = 'ahunt-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An in-memory project database with the two built-in classes and `n` objects. */
export function memoryProject(n = 10): { db: Db; objectIds: number[] } {
  const db = openDatabase(':memory:');
  seedClasses(db);
  const sourceId = recordSource(
    db,
    {
      path: '/data/a.fits',
      size: 1,
      mtimeMs: 0,
      kind: 'fits',
    },
    'ingested',
    0,
  );
  const objectIds: number[] = [];
  for (let i = 0; i < n; i++) {
    objectIds.push(
      insertObject(db, {
        uid: `obj-${i}`,
        sourceId,
        bands: 1,
        size: 4,
        pixelFormat: 'f32',
        pixels: new Uint8Array(64),
      }),
    );
  }
  return { db, objectIds };
}
