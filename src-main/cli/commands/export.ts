import {
  exportCatalogue,
  exportHistory,
  exportModel,
  TABLE_FORMATS,
  type TableFormat,
} from '../../engine/export';
import { exportRegions } from '../../engine/export/regions';
import { openProject } from '../../engine/store/project';
import { parse } from '../args';
import { UserError, type Command } from '../command';

const FORMATS = [...TABLE_FORMATS, 'regions', 'history', 'model'] as const;
type ExportFormat = (typeof FORMATS)[number];

export const exportCommand: Command = {
  name: 'export',
  summary:
    'write the labelled catalogue (csv, fits, votable, json), the label history or the model',
  usage:
    'ahunt export <project> --format csv|fits|votable|json|regions|history|model --out <file|dir> [--labelled-only]\n' +
    '  csv/fits/votable/json: one row per object (--labelled-only: labelled objects only)\n' +
    '  regions: the labelled objects as a DS9 region file, --coords fk5 (default) or image\n' +
    '  history: every label event as CSV, undone ones flagged\n' +
    '  model:   the latest model as a folder (tfjs + ONNX + ahunt-model.json + ahunt-classes.json)',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        format: { type: 'string' },
        out: { type: 'string' },
        'labelled-only': { type: 'boolean' },
        coords: { type: 'string' },
      },
      { min: 1, max: 1, usage: this.usage },
    );
    const format = values.format as ExportFormat | undefined;
    if (!format || !FORMATS.includes(format)) {
      throw new UserError(
        `--format must be one of ${FORMATS.join(', ')}${format ? `, not "${format}"` : ''}.`,
      );
    }
    if (!values.out)
      throw new UserError('--out is required: the file (or, for model, the folder) to write.');
    if (values['labelled-only'] && (format === 'history' || format === 'model')) {
      throw new UserError(`--labelled-only applies to catalogues, not to --format ${format}.`);
    }
    if (values.coords !== undefined && format !== 'regions')
      throw new UserError('--coords applies to --format regions only.');
    const coords = values.coords ?? 'fk5';
    if (coords !== 'fk5' && coords !== 'image')
      throw new UserError(`--coords must be fk5 or image, not "${coords}".`);
    const project = openProject(positionals[0]!, { readonly: true });
    try {
      if (format === 'regions') {
        const result = exportRegions(project, { out: values.out, coords });
        io.out(`${result.path}  ${result.rows} regions`);
        return 0;
      }
      if (format === 'model') {
        const result = await exportModel(project, values.out);
        io.out(
          `${result.path}  model ${result.modelId} (round ${result.round ?? '-'}), ${result.outputs.length} classes`,
        );
        return 0;
      }
      const result =
        format === 'history'
          ? exportHistory(project, values.out)
          : exportCatalogue(project, {
              format: format as TableFormat,
              out: values.out,
              labelledOnly: values['labelled-only'] ?? false,
            });
      io.out(`${result.path}  ${result.rows} rows`);
      return 0;
    } finally {
      project.close();
    }
  },
};
