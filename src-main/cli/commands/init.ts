import { parse } from '../args';
import type { Command } from '../command';
import { request, withProject } from '../project-call';

export const initCommand: Command = {
  name: 'init',
  summary: 'create a new project folder',
  usage:
    'ahunt init <dir> [--name NAME]\n\nCreates <dir> (if needed) holding an empty AHUNT project.',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { name: { type: 'string' } },
      {
        min: 1,
        max: 1,
        usage: this.usage.split('\n')[0]!,
      },
    );
    const access = {
      kind: 'write',
      folder: 'create',
      ...(values.name ? { name: values.name } : {}),
    } as const;
    const info = await withProject(positionals[0]!, access, (host) =>
      request(host, 'project.info', {}, io),
    );
    io.out(`Created project ${info.dir}`);
    return 0;
  },
};
