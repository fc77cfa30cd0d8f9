import type {
  HistoryView,
  Input,
  LatentMap,
  ObjectView,
  Output,
  PixelData,
  ProjectInfo,
  TableFormat,
} from '../contract/contract';
import { tableFormats } from '../contract/contract';
import { exportCatalogue } from './export/catalogue';
import { exportHistory } from './export/history';
import { importScores } from './export/import-scores';
import type { EmitFn } from './hunt/session';
import { exportRegions } from './export/regions';
import { SampLink, type SampLinkOptions } from './samp';
import { historyView, objectView } from './hunt/views';
import { annotateObject, findReviewed } from './hunt/review';
import { ingestService, type IngestJob } from './ingest-service';
import { decodePixelsInto } from './store/image-batches';
import { backupsDir, describeBackup, listBackups, restoreBackup } from './store/backup';
import { ProjectError } from './store/errors';
import { exportTargetPath } from './store/output-guard';
import { countObjects, getObject, getPixels, objectShapes } from './store/objects';
import { shapeProblem } from './hunt/images';
import { summarize, type Project } from './store/project';

/*
 * The model's code (tfjs, onnxruntime, protobufjs, umap-js) is imported where it is used: a
 * command that only ingests, finds or exports a table starts ~1.5 s sooner without it.
 */

/**
 * What one open project offers the doors without a labelling session: its summary, ingest,
 * exports, scores, objects and history. A window's workspace adds the session to these; the
 * command line's headless host uses them alone.
 */
/** SAMP: the hub, who listens, sending to TOPCAT/DS9/Aladin (engine/samp). */
export interface SampServices {
  status(): Output<'samp.status'>;
  connect(): Promise<Output<'samp.connect'>>;
  send(input: Input<'samp.send'>): Promise<Output<'samp.send'>>;
  focus(objectId: number): Promise<Output<'samp.focus'>>;
  settings(input: Input<'samp.settings'>): Output<'samp.settings'>;
}

export interface ProjectServices {
  info(): ProjectInfo;
  samp: SampServices;
  ingest: IngestJob;
  exportTo(input: Input<'export.run'>): Promise<Output<'export.run'>>;
  scoreWithModel(input: Input<'score.model'>): Promise<Output<'score.model'>>;
  importScores(input: Input<'score.import'>): Output<'score.import'>;
  latentMap(input: Input<'latent.map'>): Promise<LatentMap>;
  history(): HistoryView;
  object(id: number): ObjectView;
  pixels(objectId: number): PixelData;
  /** Review and correct (hunt/review.ts). */
  findObjects(input: Input<'objects.find'>): Output<'objects.find'>;
  annotate(input: Input<'object.annotate'>): Output<'object.annotate'>;
}

/** A project's backups: listed from its folder, restored only while nothing has it open. */
export interface BackupServices {
  list(): Output<'backup.list'>;
  restore(input: Input<'backup.restore'>): Output<'backup.restore'>;
}

export function projectServices(
  project: Project,
  emit: EmitFn,
  onIngestDone: () => void = () => {},
  sampOptions?: SampLinkOptions,
): ProjectServices & { dispose(): Promise<void> } {
  const { db } = project;
  const samp = new SampLink(project, emit, (id) => readPixels(project, id), sampOptions);
  return {
    samp: {
      status: () => samp.status(),
      connect: () => samp.connect(),
      send: (input) => samp.send(input),
      focus: (objectId) => samp.focus(objectId),
      settings: (input) => samp.settings(input),
    },
    // Frees what the services hold beyond the project: a SAMP registration.
    dispose: () => samp.close(),
    info: () => {
      const shapes = objectShapes(db).map((s) => ({
        size: s.size,
        bands: s.bands,
        objects: s.n ?? countObjects(db),
      }));
      const problem = shapeProblem(objectShapes(db));
      return { ...summarize(project), cutouts: { shapes, problem } };
    },
    ingest: ingestService(project, emit, onIngestDone),
    exportTo: async (input) => {
      const out = exportTargetPath(project.dir, input.out);
      if (input.format === 'model') {
        const { exportModel } = await import('./export/model');
        const m = await exportModel(project, out);
        return {
          path: m.path,
          rows: m.outputs.length,
          model: { id: m.modelId, round: m.round, classes: m.outputs.length },
        };
      }
      if (input.format === 'history') return exportHistory(project, out);
      if (input.format === 'regions')
        return exportRegions(project, {
          out,
          coords: input.coords ?? 'fk5',
          labelledOnly: input.labelledOnly ?? true,
        });
      if (!isTableFormat(input.format)) throw new ProjectError('invalid', 'Unknown format.');
      return exportCatalogue(project, {
        format: input.format,
        out,
        labelledOnly: input.labelledOnly ?? false,
      });
    },
    scoreWithModel: async (input) => {
      const { scoreWithModelFolder } = await import('./export/score-project');
      const r = await scoreWithModelFolder(project, input.modelDir, {
        out: exportTargetPath(project.dir, input.out ?? 'scores.csv'),
        engine: input.engine ?? 'auto',
      });
      return { path: r.path, rows: r.rows, backend: r.backend };
    },
    importScores: (input) => {
      const r = importScores(project, input.path);
      return { path: r.path, rows: r.rows, modelId: r.modelId };
    },
    latentMap: async (input) => {
      const { latentMap } = await import('./hunt/latent-map');
      return latentMap(db, input.method ?? 'pca', input.limit ?? 3000);
    },
    history: () => historyView(db),
    object: (id) => objectView(db, id),
    pixels: (objectId) => readPixels(project, objectId),
    findObjects: (input) => findReviewed(db, input),
    annotate: (input) => annotateObject(db, emit, input, 'ui'),
  };
}

/** `lockHeld`: the caller holds the project's lock (a headless host does; a window cannot restore). */
export function backupServices(dir: string, options: { lockHeld?: boolean } = {}): BackupServices {
  const view = (b: ReturnType<typeof listBackups>[number]) => ({
    name: b.name,
    description: describeBackup(b),
    bytes: b.bytes,
  });
  return {
    list: () => ({ dir: backupsDir(dir), backups: listBackups(backupsDir(dir)).map(view) }),
    restore: (input) => {
      const r = restoreBackup(dir, input.backup, options);
      return { database: r.database, restored: view(r.restored), movedAside: r.movedAside };
    },
  };
}

function isTableFormat(format: string): format is TableFormat {
  return (tableFormats as readonly string[]).includes(format);
}

function readPixels(project: Project, objectId: number): PixelData {
  const object = getObject(project.db, objectId);
  const stored = getPixels(project.db, objectId);
  if (!object || !stored)
    throw new ProjectError('not-found', `There is no object ${objectId} in this project.`);
  const length = object.size * object.size * object.bands;
  const data = new Float32Array(length);
  decodePixelsInto(stored.format, stored.pixels, data, 0, length);
  return { size: object.size, bands: object.bands, data };
}
