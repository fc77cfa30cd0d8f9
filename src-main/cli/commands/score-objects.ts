import { parsePathMap, scoreObjects } from '../../engine/cluster';
import { intOption, parse } from '../args';
import { UserError, type Command } from '../command';

export const scoreObjectsCommand: Command = {
  name: 'score-objects',
  summary: 'one task of a cluster scoring job: cut listed objects from their files, score them',
  usage:
    'ahunt score-objects <model-dir> <objects.csv> --out <part.csv> [--threads N] [--path-map FROM=TO]… [--json]\n' +
    '  objects.csv: rows of `ahunt export <project> --format csv` (uid, source, hdu, x, y).\n' +
    "  Each object is cut from its source file again with ingest's own code, scored with the\n" +
    "  folder's model.onnx, and written as a part that `ahunt score <project> --import-scores` reads.\n" +
    '  scripts/cluster/dask_score.py runs it on every worker of a Dask cluster.',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        out: { type: 'string' },
        threads: { type: 'string' },
        'path-map': { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      { min: 2, max: 2, usage: this.usage },
    );
    if (values.out === undefined) {
      throw new UserError(`give the part file to write with --out. Usage: ${this.usage}`);
    }
    const threads =
      values.threads === undefined ? undefined : intOption(values.threads, 'threads', 1);
    if (threads === 0) throw new UserError('--threads must be at least 1.');
    const [modelDir, workList] = positionals as [string, string];
    const result = await scoreObjects(modelDir, workList, {
      out: values.out,
      pathMap: parsePathMap(values['path-map'] ?? []),
      ...(threads === undefined ? {} : { threads }),
    });
    const perSecond = Math.round(result.rows / result.seconds);
    io.out(
      values.json
        ? JSON.stringify(result)
        : `${result.path}  ${result.rows} rows in ${result.seconds.toFixed(2)} s (${perSecond} objects/s)`,
    );
    return 0;
  },
};
