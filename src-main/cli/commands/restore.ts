import { resolve } from 'node:path';
import { backupsDir, describeBackup, listBackups, restoreBackup } from '../../engine/store/backup';
import { parse } from '../args';
import type { Command } from '../command';

export const restoreCommand: Command = {
  name: 'restore',
  summary: "put an automatic backup back in place of a project's (damaged) database",
  usage:
    'ahunt restore <dir> [--backup NAME] [--list]\n\n' +
    'Replaces the database of project <dir> with its newest automatic backup (made at the\n' +
    'end of every round in <dir>/backups), or with the one named by --backup. The replaced\n' +
    'database is renamed to ahunt-replaced-<time>.sqlite beside it, never deleted. Labels\n' +
    'given after the backup was taken are not in it. Close the project in the app first.\n' +
    '--list shows the backups and changes nothing.',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { backup: { type: 'string' }, list: { type: 'boolean' } },
      { min: 1, max: 1, usage: this.usage.split('\n')[0]! },
    );
    const dir = positionals[0]!;
    if (values.list) {
      const backups = listBackups(backupsDir(dir));
      if (backups.length === 0) {
        io.out(
          `No automatic backups in ${backupsDir(dir)} yet (one is made at the end of every round).`,
        );
        return 0;
      }
      // Newest first: the one `ahunt restore` picks without --backup is on top.
      for (const b of backups.reverse()) {
        io.out(`${b.name}  ${describeBackup(b)}  ${(b.bytes / 1e6).toFixed(1)} MB`);
      }
      return 0;
    }
    const result = restoreBackup(dir, values.backup);
    io.out(
      [
        `Restored ${resolve(result.database)} from ${result.restored.name} (${describeBackup(result.restored)}).`,
        ...(result.movedAside.length > 0
          ? [`The replaced database is kept as ${result.movedAside[0]}.`]
          : []),
      ].join('\n'),
    );
    return 0;
  },
};
