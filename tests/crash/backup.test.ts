import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupsDir, KEEP_BACKUPS, listBackups, openProject } from '../../src-main/engine/store';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from '../store/helpers';
import { runUntilKilled } from './kill';

describe('a SIGKILL while a backup is written', () => {
  it('never leaves a half backup that looks whole, and the project is intact', async () => {
    const dir = tempDir();
    syntheticProject(dir).project.close();
    await runUntilKilled('backup-loop.child.ts', [dir], (line) => line === 'begin 6');

    const backups = listBackups(backupsDir(dir));
    // Six finished before the kill; the rolling window keeps the newest five.
    expect(backups).toHaveLength(KEEP_BACKUPS);
    for (const b of backups) {
      const copy = new Database(b.file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      copy.close();
    }
    // Whatever the kill interrupted is a hidden temporary file, never listed as a backup.
    const hidden = readdirSync(backupsDir(dir)).filter((n) => n.startsWith('.'));
    expect(hidden.every((n) => n.includes('.partial'))).toBe(true);

    const project = openProject(dir);
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
    project.close();
  });
});
