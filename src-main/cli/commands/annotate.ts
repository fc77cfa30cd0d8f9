import { intOption, parse } from '../args';
import { UserError, type Command } from '../command';
import { request, withProject } from '../project-call';

/** `ahunt annotate`: the window's note (e) and uncertain flag (u) from the command line. */
export const annotateCommand: Command = {
  name: 'annotate',
  summary: "set an object's note or its uncertain flag",
  usage:
    'ahunt annotate <project> --object ID [--note TEXT] [--uncertain | --certain]\n\n' +
    "Sets an object's free-text note (--note '' clears it) and flags its label as uncertain or\n" +
    'clears the flag; what is not given stays as it is. Each change is kept in the label\n' +
    'history, as from the window. Without --note or a flag, shows the object as it stands.\n' +
    'IDs are shown by ahunt find --json and in the window. Refused while a window has the\n' +
    'project open (annotate there).',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        object: { type: 'string' },
        note: { type: 'string' },
        uncertain: { type: 'boolean' },
        certain: { type: 'boolean' },
      },
      { min: 1, max: 1, usage: this.usage.split('\n')[0]! },
    );
    if (values.object === undefined)
      throw new UserError('give the object: ahunt annotate <project> --object ID --note TEXT');
    const id = intOption(values.object, 'object', 0);
    if (id < 1) throw new UserError('--object must be an object ID from 1 up.');
    if (values.uncertain && values.certain)
      throw new UserError('--uncertain and --certain contradict each other: give one.');
    if (values.note !== undefined && values.note.length > 2000)
      throw new UserError(
        `--note has ${values.note.length} characters; a note holds at most 2000.`,
      );
    const uncertain = values.uncertain ? true : values.certain ? false : undefined;
    const changing = values.note !== undefined || uncertain !== undefined;
    return withProject(
      positionals[0]!,
      changing ? { kind: 'write', doing: 'annotating an object in it' } : { kind: 'read' },
      async (host) => {
        if (changing) {
          const input = {
            id,
            ...(values.note === undefined ? {} : { note: values.note }),
            ...(uncertain === undefined ? {} : { uncertain }),
          };
          await request(host, 'object.annotate', input, io);
        }
        const object = await request(host, 'object.get', { id }, io);
        const flag = object.uncertain ? 'uncertain' : 'certain';
        io.out([object.uid, flag, object.note].join('\t').trimEnd());
        return 0;
      },
    );
  },
};
