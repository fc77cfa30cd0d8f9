import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findClassByName, recordLabel } from '../../src-main/engine/store';
import { BackgroundCheckpointer, FLUSH_DELAY_MS } from '../../src-main/engine/store/checkpointer';
import { databasePath } from '../../src-main/engine/store/project';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from './helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('durability of labels (synchronous=NORMAL + a background checkpoint)', () => {
  it('a label is in the WAL at once and in the database file within the flush delay', async () => {
    const dir = tempDir();
    const { project } = syntheticProject(dir, 40, 4);
    const { db } = project;
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.pragma('wal_checkpoint(TRUNCATE)'); // start from an empty WAL
    const flusher = BackgroundCheckpointer.start(db, { takeOver: false })!;
    const normal = findClassByName(db, 'normal')!;
    const file = databasePath(dir);
    const before = readFileSync(file);

    for (let id = 1; id <= 5; id++)
      recordLabel(db, { objectId: id, classId: normal.id, round: 0, origin: 'ui' });
    flusher.soon();
    // Committed: in the WAL, not yet copied into the database file.
    expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(0);
    expect(readFileSync(file).equals(before)).toBe(true);

    await sleep(FLUSH_DELAY_MS + 700);
    // The background checkpoint (which syncs the WAL first) has copied the pages across.
    expect(readFileSync(file).equals(before)).toBe(false);
    await flusher.stop();
    project.close();
  });
});
