import { resolve } from 'node:path';
import { parse } from '../args';
import { UserError, type Command } from '../command';
import { request, withProject } from '../project-call';

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score the objects with an exported model folder, or load scores computed elsewhere',
  usage:
    'ahunt score <project> <model-dir> [--out scores.csv] [--tfjs]\n' +
    'ahunt score <project> --import-scores <file.csv | folder of part-*.csv[.gz]>\n' +
    '  A scores file has columns uid, score, p_<class>… (what the first form writes);\n' +
    "  importing it makes those the latest model's scores for the next round and export.",
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        out: { type: 'string' },
        'import-scores': { type: 'string' },
        tfjs: { type: 'boolean' },
      },
      { min: 1, max: 2, usage: this.usage },
    );
    const [projectDir, modelDir] = positionals as [string, string | undefined];
    const importing = values['import-scores'];
    if (importing !== undefined) {
      if (modelDir !== undefined || values.out !== undefined) {
        throw new UserError(
          '--import-scores takes no model folder and no --out. Usage: ' + this.usage,
        );
      }
      // Importing writes the project: locked, refused while a window has it open.
      const result = await withProject(projectDir, { kind: 'write' }, (host) =>
        request(host, 'score.import', { path: resolve(importing) }, io),
      );
      io.out(`${result.path}  ${result.rows} rows imported as scores of model ${result.modelId}`);
      return 0;
    }
    if (modelDir === undefined) {
      throw new UserError(
        `give a model folder to score with, or --import-scores <file>. Usage: ${this.usage}`,
      );
    }
    // Scoring only reads the project (a snapshot) and writes a file of its own.
    const input = {
      modelDir: resolve(modelDir),
      engine: values.tfjs ? 'tfjs' : 'auto',
      ...(values.out !== undefined ? { out: resolve(values.out) } : {}),
    } as const;
    const result = await withProject(projectDir, { kind: 'read' }, (host) =>
      request(host, 'score.model', input, io),
    );
    io.out(`${result.path}  ${result.rows} rows (scored with ${result.backend})`);
    return 0;
  },
};
