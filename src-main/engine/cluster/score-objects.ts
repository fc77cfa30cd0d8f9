import { resolve } from 'node:path';
import { writeFileAtomic } from '../export/atomic-write';
import { writeCsv } from '../export/csv';
import { outputColumnNames } from '../export/score-columns';
import { SOFTWARE, type ExportTable, type TableColumn } from '../export/table';
import { anomalyScores } from '../learn/anomaly-score';
import { isOnnxRuntimeUnavailable } from '../learn/onnx/errors';
import { metaProblem } from '../learn/onnx/model-manifest';
import type { OnnxRuntimeImporter } from '../learn/onnx/runtime';
import { createOnnxScorer, type OnnxScorer } from '../learn/onnx/scorer';
import { ClusterScoringError } from './errors';
import { recutObjects, type CutBatch } from './recut';
import { readScoringModel } from './scoring-model';
import { readWorkList, type PathMap, type WorkRow } from './work-list';

export interface ScoreObjectsOptions {
  /** The part file to write (CSV, atomically: a killed task leaves no half part). */
  out: string;
  /** onnxruntime threads (default: the scorer's, all cores up to 4). */
  threads?: number;
  pathMap?: PathMap;
  /** Objects per onnxruntime call (default 1024, as `ahunt score` hands them over). */
  batchSize?: number;
  /** How to import onnxruntime-node (tests inject a failure here). */
  importRuntime?: OnnxRuntimeImporter;
}

export interface ScoreObjectsResult {
  path: string;
  rows: number;
  /** Wall seconds: reading the model, cutting, scoring, writing. */
  seconds: number;
}

/**
 * One task of a cluster scoring job: the objects of a work list (a slice of `ahunt export
 * --format csv`) cut again from their source files with ingest's code (see recut.ts), scored
 * with the exported model.onnx in onnxruntime, and written as the part file `ahunt score
 * --import-scores` reads: uid, score (Σ interest × P) and one p_<class> column per model
 * output, named as `ahunt score` names them.
 */
export async function scoreObjects(
  modelDir: string,
  workList: string,
  options: ScoreObjectsOptions,
): Promise<ScoreObjectsResult> {
  const started = performance.now();
  const { manifest, onnx } = await readScoringModel(modelDir);
  const rows = readWorkList(workList, options.pathMap);
  refuseDuplicates(rows, resolve(workList));
  const scorer = await startScorer(onnx, options);
  try {
    const problem = metaProblem(
      {
        classes: manifest.classes,
        reserve: manifest.reserve,
        interest: manifest.interest,
        normalisation: manifest.input.normalisation,
      },
      scorer.classes,
    );
    if (problem) {
      throw new ClusterScoringError(
        `The model folder ${resolve(modelDir)} does not match its model.onnx: ${problem}; export it again.`,
        resolve(modelDir),
      );
    }
    const { size, bands } = manifest.input;
    const names = outputColumnNames(manifest.classes);
    const uid = column('uid', 'string');
    const score = column('score', 'double');
    const probs = names.map((name) => column(name, 'float'));
    const classes = manifest.classes.length;
    const write = async (batch: CutBatch) => {
      const result = await scorer.score({
        data: batch.data,
        count: batch.rows.length,
        size,
        bands,
      });
      const scores = anomalyScores(result.probs, classes, manifest.interest);
      batch.rows.forEach((row, i) => {
        uid.values.push(row.uid);
        score.values.push(scores[i]!);
        for (let c = 0; c < classes; c++) probs[c]!.values.push(result.probs[i * classes + c]!);
      });
    };
    const batches = new Batcher(options.batchSize ?? 1024, size * size * bands);
    for await (const cut of recutObjects(rows, size, bands)) {
      for (const full of batches.add(cut)) await write(full);
    }
    const last = batches.flush();
    if (last) await write(last);
    const table: ExportTable = {
      kind: 'scores',
      meta: {
        project: '',
        round: null,
        model: null,
        software: SOFTWARE,
        exportedAt: new Date().toISOString(),
      },
      columns: [uid, score, ...probs],
      rows: uid.values.length,
    };
    const path = resolve(options.out);
    writeFileAtomic(path, (sink) => writeCsv(table, sink));
    return { path, rows: table.rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    await scorer.dispose();
  }
}

function column(name: string, type: TableColumn['type']): TableColumn {
  return { name, type, description: name, values: [] };
}

/** A uid twice in one part would make the import refuse the whole job's output. */
function refuseDuplicates(rows: readonly WorkRow[], path: string): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const first = seen.get(row.uid);
    if (first !== undefined) {
      throw new ClusterScoringError(
        `${path}: line ${row.line}: "${row.uid}" already appears on line ${first}; give each object once.`,
        path,
      );
    }
    seen.set(row.uid, row.line);
  }
}

async function startScorer(onnx: Uint8Array, options: ScoreObjectsOptions): Promise<OnnxScorer> {
  try {
    return await createOnnxScorer(onnx, {
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.importRuntime ? { importRuntime: options.importRuntime } : {}),
    });
  } catch (error) {
    if (!isOnnxRuntimeUnavailable(error)) throw error;
    // No tfjs fallback here: its last digits differ from onnxruntime's, and a cluster's
    // scores must be the ones a local round would give.
    throw new ClusterScoringError(
      `${(error as Error).message.replace(/; scoring falls back.*$/, '')}. Run \`npm ci\` in the AHUNT checkout on every worker (it installs onnxruntime-node's CPU build).`,
      'onnxruntime-node',
    );
  }
}

/**
 * Gathers cut objects into batches of about `size` for onnxruntime: a survey of single
 * cutout files yields one object per source, and scoring them one by one would be slow.
 */
class Batcher {
  private rows: WorkRow[] = [];
  private chunks: Float32Array[] = [];

  constructor(
    private readonly size: number,
    private readonly perObject: number,
  ) {}

  add(cut: CutBatch): CutBatch[] {
    this.rows.push(...cut.rows);
    this.chunks.push(cut.data);
    return this.rows.length >= this.size ? [this.flush()!] : [];
  }

  flush(): CutBatch | null {
    if (this.rows.length === 0) return null;
    const data =
      this.chunks.length === 1
        ? this.chunks[0]!
        : new Float32Array(this.rows.length * this.perObject);
    if (this.chunks.length > 1) {
      let at = 0;
      for (const chunk of this.chunks) {
        data.set(chunk, at);
        at += chunk.length;
      }
    }
    const batch = { rows: this.rows, data };
    this.rows = [];
    this.chunks = [];
    return batch;
  }
}
