import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How automatic backups are named and found. Kept apart from backup.ts (which opens
 * databases) so that open.ts can name the newest backup in its "damaged" message without
 * an import cycle.
 */

/** The folder inside a project that holds the rolling backups of its database. */
export const BACKUPS_DIR = 'backups';

/** The reason of the backups taken when a round's labels are final. */
export const ROUND_DONE = 'round-done';

export interface BackupInfo {
  /** File name inside the backups folder; what `ahunt restore --backup` takes. */
  name: string;
  file: string;
  /** When the backup was taken. */
  time: Date;
  /** The latest round when it was taken (0 before the first round). */
  round: number;
  /** Why it was taken, e.g. `round-done`. */
  reason: string;
  bytes: number;
}

// ahunt-2026-12-02T00-21-46-123Z-round-00003-round-done.sqlite: the fixed-width UTC time
// first, so sorting names sorts by time (and, within one project, by round).
const NAME =
  /^ahunt-(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3})Z-round-(\d+)-([a-z0-9-]+)\.sqlite$/;

export function backupName(time: Date, round: number, reason: string): string {
  const stamp = time.toISOString().replace(/:/g, '-').replace('.', '-');
  return `ahunt-${stamp}-round-${String(round).padStart(5, '0')}-${slug(reason)}.sqlite`;
}

/** Lower-case letters, digits and dashes only: the name must be safe on every file system. */
function slug(reason: string): string {
  return (
    reason
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'backup'
  );
}

export function parseBackupName(
  name: string,
): { time: Date; round: number; reason: string } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const time = new Date(`${m[1]}:${m[2]}:${m[3]}.${m[4]}Z`);
  if (Number.isNaN(time.getTime())) return null;
  return { time, round: Number(m[5]), reason: m[6]! };
}

/** The backups in `backupsDir`, oldest first; a missing folder has none. */
export function listBackups(backupsDir: string): BackupInfo[] {
  let names: string[];
  try {
    names = readdirSync(backupsDir);
  } catch {
    return [];
  }
  const found: BackupInfo[] = [];
  for (const name of names.sort()) {
    const parsed = parseBackupName(name);
    if (!parsed) continue;
    const file = join(backupsDir, name);
    let bytes: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) continue;
      bytes = stat.size;
    } catch {
      continue; // removed by a concurrent prune
    }
    found.push({ name, file, ...parsed, bytes });
  }
  return found;
}

/** "2026-12-02 00:21 UTC, end of round 3": how a backup is named to the user. */
export function describeBackup(backup: Pick<BackupInfo, 'time' | 'round' | 'reason'>): string {
  const when = `${backup.time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (backup.round === 0) return `${when}, before the first round`;
  return backup.reason === ROUND_DONE
    ? `${when}, end of round ${backup.round}`
    : `${when}, during round ${backup.round}`;
}
