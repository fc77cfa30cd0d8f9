import { resolve } from 'node:path';
import { exportFormats, tableFormats, type ExportFormat } from '../../contract/contract';
import { parse } from '../args';
import { UserError, type Command } from '../command';
import { request, withProject } from '../project-call';

export const exportCommand: Command = {
  name: 'export',
  summary:
    'write the labelled catalogue (csv, fits, votable, json), the label history or the model',
  usage:
    'ahunt export <project> --format csv|fits|votable|json|history|model --out <file|dir> [--labelled-only]\n' +
    '  csv/fits/votable/json: one row per object (--labelled-only: labelled objects only)\n' +
    '  history: every label event as CSV, undone ones flagged\n' +
    '  model:   the latest model as a folder (tfjs + ONNX + ahunt-model.json + ahunt-classes.json)',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        format: { type: 'string' },
        out: { type: 'string' },
        'labelled-only': { type: 'boolean' },
      },
      { min: 1, max: 1, usage: this.usage },
    );
    const format = values.format as ExportFormat | undefined;
    if (!format || !exportFormats.includes(format)) {
      throw new UserError(
        `--format must be one of ${exportFormats.join(', ')}${format ? `, not "${format}"` : ''}.`,
      );
    }
    if (!values.out)
      throw new UserError('--out is required: the file (or, for model, the folder) to write.');
    const labelledOnly = values['labelled-only'] ?? false;
    if (labelledOnly && !(tableFormats as readonly string[]).includes(format)) {
      throw new UserError(`--labelled-only applies to catalogues, not to --format ${format}.`);
    }
    // A read-only snapshot: it works, consistently, while a window has the project open.
    // The path is the user's, relative to where they are (the api's bare names go to exports/).
    const input = { format, out: resolve(values.out), ...(labelledOnly ? { labelledOnly } : {}) };
    const result = await withProject(positionals[0]!, { kind: 'read' }, (host) =>
      request(host, 'export.run', input, io),
    );
    if (result.model) {
      io.out(
        `${result.path}  model ${result.model.id} (round ${result.model.round ?? '-'}), ${result.model.classes} classes`,
      );
    } else {
      io.out(`${result.path}  ${result.rows} rows`);
    }
    return 0;
  },
};
