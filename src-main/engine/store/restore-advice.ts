import { dirname, join, resolve } from 'node:path';
import { BACKUPS_DIR, describeBackup, listBackups } from './backup-names';

/** The user's way out of a damaged database: the newest automatic backup, named exactly. */
export function restoreAdvice(file: string): string {
  const dir = dirname(resolve(file));
  const backups = join(dir, BACKUPS_DIR);
  const newest = listBackups(backups).at(-1);
  if (!newest) {
    return (
      `There is no automatic backup of it in ${backups} (one is made at the end of every ` +
      `round): restore a copy of your own, or choose another project.`
    );
  }
  const arg = /\s/.test(dir) ? `"${dir}"` : dir;
  return (
    `The newest automatic backup is from ${describeBackup(newest)} (${newest.name}). ` +
    `Restore it with: ahunt restore ${arg} (the damaged file is kept beside it, renamed).`
  );
}
