import { intOption, parse } from '../args';
import { UserError, type Command } from '../command';
import { request, withProject } from '../project-call';
import { classIdByName } from './class-by-name';

/** `ahunt find`: the window's class gallery and search, from the command line. */
export const findCommand: Command = {
  name: 'find',
  summary: 'list labelled objects: one class (newest first), a text search, the uncertain ones',
  usage:
    'ahunt find <project> [--class NAME] [--text TEXT] [--uncertain] [--limit N] [--offset N] [--json]\n\n' +
    'Lists the labelled objects (and those with a note or an uncertain flag), newest label\n' +
    'first: of one class, whose uid, file or note contains TEXT (any case), or flagged\n' +
    'uncertain. One line each: uid, class, when labelled, the flag and the note. Reads a\n' +
    'snapshot, so it works while the project is open in the window.',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        class: { type: 'string' },
        text: { type: 'string' },
        uncertain: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 1, max: 1, usage: this.usage.split('\n')[0]! },
    );
    const limit = intOption(values.limit, 'limit', 50);
    if (limit < 1 || limit > 1000) throw new UserError('--limit must be from 1 to 1000.');
    const offset = intOption(values.offset, 'offset', 0);
    return withProject(positionals[0]!, { kind: 'read' }, async (host) => {
      const info = await request(host, 'project.info', {}, io);
      const classId =
        values.class === undefined ? undefined : classIdByName(info.classes, values.class);
      const found = await request(
        host,
        'objects.find',
        {
          ...(classId === undefined ? {} : { classId }),
          ...(values.text === undefined ? {} : { text: values.text }),
          ...(values.uncertain ? { uncertain: true } : {}),
          limit,
          offset,
        },
        io,
      );
      if (values.json) {
        io.out(JSON.stringify(found, null, 2));
        return 0;
      }
      const nameOf = new Map(info.classes.map((c) => [c.id, c.name]));
      for (const o of found.items) {
        const cls =
          o.labelId === null ? '(no label)' : (nameOf.get(o.labelId) ?? `class ${o.labelId}`);
        const flag = o.uncertain ? 'uncertain' : '';
        io.out([o.uid, cls, o.labelledAt ?? '', flag, o.note].join('\t').trimEnd());
      }
      const shown = found.items.length;
      io.err(
        shown === 0
          ? 'No object matches.'
          : `${offset + 1}–${offset + shown} of ${found.total}${offset + shown < found.total ? ` (--offset ${offset + shown} for more)` : ''}.`,
      );
      return 0;
    });
  },
};
