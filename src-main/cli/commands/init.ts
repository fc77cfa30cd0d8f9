import { createProject } from '../../engine/store/project';
import { parse } from '../args';
import type { Command } from '../command';

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
    const project = createProject(positionals[0]!, values.name ? { name: values.name } : {});
    project.close();
    io.out(`Created project ${project.dir}`);
    return 0;
  },
};
