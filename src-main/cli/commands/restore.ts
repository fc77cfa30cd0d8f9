import { resolve } from 'node:path';
import { parse } from '../args';
import type { Command } from '../command';
import { request, withProject } from '../project-call';

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
      // The database is not opened (it may be damaged), and listing needs no lock.
      const { dir: backups, backups: list } = await withProject(
        dir,
        { kind: 'folder', lock: false },
        (host) => request(host, 'backup.list', {}, io),
      );
      if (list.length === 0) {
        io.out(`No automatic backups in ${backups} yet (one is made at the end of every round).`);
        return 0;
      }
      // Newest first: the one `ahunt restore` picks without --backup is on top.
      for (const b of [...list].reverse()) {
        io.out(`${b.name}  ${b.description}  ${(b.bytes / 1e6).toFixed(1)} MB`);
      }
      return 0;
    }
    // Locked for the whole swap: no window can open the project halfway through it.
    const result = await withProject(dir, { kind: 'folder', lock: true }, (host) =>
      request(host, 'backup.restore', values.backup ? { backup: values.backup } : {}, io),
    );
    io.out(
      [
        `Restored ${resolve(result.database)} from ${result.restored.name} (${result.restored.description}).`,
        ...(result.movedAside.length > 0
          ? [`The replaced database is kept as ${result.movedAside[0]}.`]
          : []),
      ].join('\n'),
    );
    return 0;
  },
};
