/**
 * The one contract between the engine and every door (desktop window, local server, CLI)
 * and the renderer. Each request has a zod schema for its input (validated at the edge,
 * unknown fields rejected) and a TypeScript type for its output. Events flow the other way.
 *
 * This module must stay importable from the renderer: zod and types only — no node, no electron.
 */
import { z } from 'zod';
import type { CelestialWcsParams } from './celestial-projection';

const id = z.number().int().positive();
const className = z.string().trim().min(1).max(60);
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const hotkey = z
  .string()
  .regex(/^[1-9]$/)
  .nullable();

/**
 * The question strategies a project's rounds can use: the paper's three, and 'fusion'
 * (engine/learn/fusion.ts: P(class) × unusualness in the latent space; past 200,000 objects
 * its questions come from the round's latent sample, engine/hunt/fusion-round.ts).
 */
export const strategyNames = ['most-anomalous', 'uncertainty', 'random', 'fusion'] as const;
export type StrategyName = (typeof strategyNames)[number];
/** The catalogue's table formats: one row per object. */
export const tableFormats = ['csv', 'fits', 'votable', 'json'] as const;
export type TableFormat = (typeof tableFormats)[number];
/** Everything a project exports: its catalogue, its label history (CSV), its latest model (a folder). */
export const exportFormats = [...tableFormats, 'regions', 'history', 'model'] as const;
export type ExportFormat = (typeof exportFormats)[number];
/** The compute backends the model can run on, fastest first. */
export const backendNames = [
  'tensorflow-gpu',
  'webgpu',
  'webgl',
  'tensorflow',
  'wasm',
  'cpu',
] as const;
export type BackendName = (typeof backendNames)[number];
/** How a FITS image becomes objects (see engine/ingest/types.ts). */
export const layouts = ['auto', 'cutout', 'grid'] as const;
export type Layout = (typeof layouts)[number];
/** What `samp.send` can send: the catalogue (all, one class, or chosen objects), an image, a position. */
export const sampSendKinds = [
  'catalogue',
  'class',
  'selection',
  'cutout',
  'frame',
  'point',
] as const;

const folderPath = z.string().trim().min(1).max(4096);
const filePath = z.string().min(1).max(4096);
const column = z.string().trim().min(1).max(128);

/** Where the survey is and how its files become cutouts: shared by ingest and its preview. */
const ingestSource = {
  paths: z.array(filePath).min(1).max(100_000),
  size: z.number().int().min(8).max(1024).optional(),
  layout: z.enum(layouts).optional(),
  /** HDU index or EXTNAME. */
  hdu: z.union([z.number().int().min(0).max(9999), z.string().trim().min(1).max(68)]).optional(),
  /** Band tokens in file names, bluest first, or 'auto' / 'none'. */
  bands: z
    .union([z.enum(['auto', 'none']), z.array(z.string().trim().min(1).max(32)).min(1).max(16)])
    .optional(),
  /** Positions to cut out of large frames, and which of its columns say what. */
  catalogue: z
    .object({
      path: filePath,
      ra: column.optional(),
      dec: column.optional(),
      x: column.optional(),
      y: column.optional(),
      id: column.optional(),
      /** The column naming each row's frame file. */
      file: column.optional(),
    })
    .strict()
    .optional(),
};

/** Known labels to import as round-0 labels. */
const priorLabels = z
  .object({
    path: filePath,
    label: column.optional(),
    file: column.optional(),
    id: column.optional(),
    normalClasses: z.array(className).max(100).optional(),
  })
  .strict();

/** Decoding threads; 0 decodes on the engine's own thread. */
const workers = z.number().int().min(0).max(256).optional();

export const requestSchemas = {
  'project.info': z.object({}).strict(),
  'project.open': z
    .object({
      dir: folderPath,
      /** Make a new project there (the folder is created if needed) instead of opening one. */
      create: z.boolean().optional(),
      name: z.string().trim().min(1).max(80).optional(),
    })
    .strict(),
  'project.recent': z.object({}).strict(),
  'folder.list': z.object({ dir: folderPath.optional() }).strict(),
  'session.state': z.object({}).strict(),
  'round.start': z.object({}).strict(),
  'round.finish': z.object({}).strict(),
  'round.cancelTraining': z.object({}).strict(),
  'label.set': z
    .object({ objectId: id, classId: id, seconds: z.number().min(0).max(86_400).optional() })
    .strict(),
  'label.undo': z.object({}).strict(),
  'class.create': z
    .object({
      name: className,
      kind: z.enum(['anomaly', 'normal']).optional(),
      /** The digit it labels with (the one pressed when no class had it); else the next free. */
      hotkey: hotkey.optional(),
    })
    .strict(),
  'class.rename': z.object({ id, name: className }).strict(),
  'class.merge': z.object({ from: id, into: id }).strict(),
  'class.recolour': z.object({ id, colour }).strict(),
  'class.interest': z.object({ id, interest: z.number().min(0).max(100) }).strict(),
  'class.hotkey': z.object({ id, hotkey }).strict(),
  'object.get': z.object({ id }).strict(),
  /** The source image at its native resolution (JPEG/PNG cutouts), for the preview. */
  'object.original': z.object({ id }).strict(),
  /** Reviewed objects (labelled, or with a note or flag): a class's gallery, a search, a filter. */
  'objects.find': z
    .object({
      /** Only objects labelled with this class, newest label first. */
      classId: id.optional(),
      /** Matched anywhere in the uid, the file and the note, ignoring case. */
      text: z.string().trim().max(200).optional(),
      /** Only objects flagged uncertain. */
      uncertain: z.boolean().optional(),
      offset: z.number().int().min(0).max(10_000_000).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  /** An object's free-text note and "uncertain" flag; what is left out stays as it is. */
  'object.annotate': z
    .object({ id, note: z.string().max(2000).optional(), uncertain: z.boolean().optional() })
    .strict(),
  'history.get': z.object({}).strict(),
  'latent.map': z
    .object({
      method: z.enum(['pca', 'umap']).optional(),
      limit: z.number().int().min(10).max(20_000).optional(),
    })
    .strict(),
  /** The nearest neighbours of an object in the latest model's latent space ("more like this"). */
  'objects.similar': z.object({ id, k: z.number().int().min(1).max(500).optional() }).strict(),
  'settings.get': z.object({}).strict(),
  'settings.set': z
    .object({
      strategy: z.enum(strategyNames).optional(),
      queries: z.number().int().min(1).max(200).optional(),
      epochs: z.number().int().min(1).max(100).optional(),
      imageSize: z.number().int().min(8).max(256).optional(),
      backend: z.enum(['auto', ...backendNames]).optional(),
      warmStart: z.number().int().min(0).max(500).optional(),
    })
    .strict(),
  'ingest.start': z.object({ ...ingestSource, labels: priorLabels.optional(), workers }).strict(),
  /** The first few cutouts an ingest with these options would make; nothing is written. */
  'ingest.preview': z
    .object({ ...ingestSource, limit: z.number().int().min(1).max(24).optional() })
    .strict(),
  /** A CSV's columns, first rows and the columns ingest would guess for each role. */
  'table.inspect': z.object({ path: filePath }).strict(),
  'ingest.cancel': z.object({}).strict(),
  'export.run': z
    .object({
      format: z.enum(exportFormats),
      /** A file (a folder for model); a bare name lands in the project's exports/ folder. */
      out: filePath,
      /** Catalogues only. */
      labelledOnly: z.boolean().optional(),
      /** Regions only: pixel positions (image) or sky positions (fk5); default fk5 where known. */
      coords: z.enum(['image', 'fk5']).optional(),
    })
    .strict()
    .refine(
      (i) =>
        !i.labelledOnly ||
        i.format === 'regions' ||
        (tableFormats as readonly string[]).includes(i.format),
      {
        message: 'labelledOnly applies to catalogues and regions, not to the history or the model',
      },
    )
    .refine((i) => i.coords === undefined || i.format === 'regions', {
      message: 'coords applies to regions only',
    }),
  'score.model': z
    .object({
      /** An exported model folder (ahunt export --format model). */
      modelDir: filePath,
      out: filePath.optional(),
      /** auto: onnxruntime when it loads, else tfjs; tfjs: always tfjs. */
      engine: z.enum(['auto', 'tfjs']).optional(),
    })
    .strict(),
  'score.import': z.object({ path: filePath }).strict(),
  'backup.list': z.object({}).strict(),
  'backup.restore': z.object({ backup: z.string().trim().min(1).max(255).optional() }).strict(),
  'samp.status': z.object({}).strict(),
  /** Look for a hub now instead of at the next poll (a user pressed "connect"). */
  'samp.connect': z.object({}).strict(),
  'samp.send': z
    .object({
      what: z.enum(sampSendKinds),
      /** class: the class to send. */
      classId: id.optional(),
      /** cutout, frame, point: the object; selection: the objects. */
      objectId: id.optional(),
      objectIds: z.array(id).min(1).max(1_000_000).optional(),
      labelledOnly: z.boolean().optional(),
    })
    .strict(),
  /** The window's focus moved: highlight that row in the clients that hold our table (if on). */
  'samp.focus': z.object({ objectId: id }).strict(),
  'samp.settings': z.object({ highlightOnFocus: z.boolean().optional() }).strict(),
} as const;

export type Method = keyof typeof requestSchemas;
export type Input<M extends Method> = z.input<(typeof requestSchemas)[M]>;

export type ClassKind = 'normal' | 'anomaly' | 'reserve';

export interface ClassView {
  id: number;
  name: string;
  kind: ClassKind;
  interest: number;
  hotkey: string | null;
  colour: string;
  count: number;
  createdRound: number;
}

export interface QuestionView {
  rank: number;
  objectId: number;
  /** The class this object was asked for (its interest class), when known. */
  askedFor: number | null;
  score: number;
  why: string;
  /** Current label (live class id) or null while unanswered. */
  labelId: number | null;
  /** The expert flagged this object's label as uncertain (u): the grid marks the cell. */
  uncertain: boolean;
}

export type RoundPhase = 'idle' | 'scoring' | 'asking' | 'training';

export interface TrainingState {
  /** 'warm-start': the self-supervised warm start before the first trained round. */
  phase: 'scoring' | 'training' | 'warm-start';
  epoch: number;
  epochs: number;
  /** Training: batches of this epoch. Scoring: objects scored so far of those to score. */
  batch: number;
  batches: number;
  loss: number | null;
  imagesPerSecond: number | null;
  eta: number | null;
}

export interface SessionState {
  project: { name: string; dir: string; objects: number; labelled: number };
  backend: { name: string; reason: string; detail: string } | null;
  round: { number: number; phase: RoundPhase; strategy: string; queries: number } | null;
  questions: QuestionView[];
  classes: ClassView[];
  training: TrainingState | null;
  /**
   * Set while the engine cannot go on (no objects yet, a round that failed to start): a
   * sentence that says what to do. Part of the state, not only an event, so a page that
   * connects later sees it too.
   */
  blocker: string | null;
  /** What fixes the blocker: ingest data, try the round again, or open another project. */
  blockerAction: 'ingest' | 'retry-round' | 'projects' | null;
}

export interface ObjectView {
  id: number;
  uid: string;
  file: string;
  hdu: number | null;
  x: number | null;
  y: number | null;
  ra: number | null;
  dec: number | null;
  size: number;
  bands: number;
  bandNames: string[] | null;
  /** Original data units of 0 and 1 in the stored pixels (for readouts). */
  lo: number | null;
  hi: number | null;
  labelId: number | null;
  score: number | null;
  /** Probability per class id from the latest model. */
  probabilities: { classId: number; p: number }[];
  history: { at: string; round: number; classId: number | null; kind: string; undone: boolean }[];
  /** The expert's free-text note ('' when none). */
  note: string;
  /** The expert flagged the label as uncertain. */
  uncertain: boolean;
}

/** One object found by objects.find. */
export interface FoundObject {
  objectId: number;
  uid: string;
  file: string;
  /** Its current class, or null (an object with a note or flag but no label yet). */
  labelId: number | null;
  /** When its current label was given (ISO 8601 UTC). */
  labelledAt: string | null;
  note: string;
  uncertain: boolean;
}

/** An object's annotation as it stands after object.annotate (also the event's payload). */
export interface AnnotationView {
  objectId: number;
  note: string;
  uncertain: boolean;
}

/**
 * What the expert sees of an object's source: a JPEG/PNG cutout's own bytes as a data URL (the
 * model sees the stored tensor), a FITS object's neighbourhood in its parent frame, or why
 * there is none to show.
 */
export type OriginalImage =
  | { kind: 'image'; mime: 'image/jpeg' | 'image/png'; bytes: number; dataUrl: string }
  | FitsFrameRegion
  | { kind: 'none'; reason: string };

/**
 * A region of a FITS object's parent frame around the object (4× its cutout, clipped at the
 * frame's edges), every band, in the file's own units. Frame pixel coordinates are 0-based
 * (astropy's origin 0); DS9 shows them +1.
 */
export interface FitsFrameRegion {
  kind: 'fits';
  /** The frame's file (the first band's, for a band set), relative as ingested. */
  file: string;
  hdu: number;
  frameWidth: number;
  frameHeight: number;
  /** The region's top-left frame pixel and its size. */
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** The object's cutout window in frame pixels (may reach past the frame's edge). */
  cutout: { x0: number; y0: number; width: number; height: number };
  bands: number;
  bandNames: string[] | null;
  /** BUNIT of the first band, when the header has one. */
  unit: string | null;
  /**
   * How ingest scaled each band into the stored tensor (stored = asinh((v − lo)/soft) /
   * asinh((hi − lo)/soft)): the preview maps the frame the same way, so display limits and
   * stretches mean what they mean for the cutout.
   */
  scales: { lo: number; hi: number; soft: number }[];
  /**
   * The pixels: base64 of little-endian float32, band after band, each row-major (width ×
   * height); NaN where the file is blank. Base64 inside the one JSON answer keeps this a
   * single request on both doors (about 1 MB for a 256² region of 3 bands).
   */
  pixels: string;
  /** The frame's celestial WCS, for RA/Dec under the cursor (contract/celestial-projection). */
  wcs: CelestialWcsParams | null;
}

export interface RoundSummary {
  number: number;
  status: string;
  strategy: string;
  queries: number;
  /** Questions this round put to the expert (re-asked ones included). */
  asked: number;
  /** Questions whose standing label was given in this round (each object answers once). */
  answered: number;
  /**
   * Questions left without an answer: skipped in a finished round, still open in the current
   * one. A skipped object asked again later is answered there, never here too.
   */
  skipped: number;
  /** Questions about objects an earlier round had already asked (and that were not answered). */
  reasked: number;
  /** Answered questions whose object's class now is an anomaly class. */
  anomaliesFound: number;
  /** anomaliesFound / answered, in percent; null before any answer. */
  trueCandidatePercent: number | null;
  scoreSeconds: number | null;
  trainSeconds: number | null;
  backend: string | null;
  /** Labels given in this round that still stand, per class id (this round only, not cumulative). */
  classCounts: Record<number, number>;
}

export interface HistoryView {
  rounds: RoundSummary[];
  /** Cumulative anomalies found vs questions answered, one point per answered question. */
  discovery: { asked: number; found: number }[];
  /**
   * The database's own counts, for the reconciliation the history view shows: every labelled
   * object is an answered question, a label given outside the questions, or an import.
   */
  totals: {
    labelled: number;
    anomalies: number;
    answered: number;
    found: number;
    /** Labels given by hand to objects no question stands for (the gallery, the inspector). */
    otherLabels: number;
    imported: number;
  };
}

export interface LatentMap {
  method: 'pca' | 'umap';
  points: { objectId: number; x: number; y: number; classId: number | null; score: number }[];
}

export interface SimilarObjects {
  objectId: number;
  /** Nearest first; distance is Euclidean in the latent space; labelId the current label. */
  items: { objectId: number; distance: number; labelId: number | null; uncertain: boolean }[];
  /** How many latent vectors were compared. */
  searched: number;
  /** True when every object of the project was compared (not a sample). */
  exact: boolean;
  modelId: number | null;
}

export interface Settings {
  strategy: StrategyName;
  queries: number;
  epochs: number;
  imageSize: number;
  backend: 'auto' | BackendName;
  /**
   * Epochs of self-supervised warm start on the project's own objects before its first
   * trained round (0: none).
   */
  warmStart: number;
}

export interface IngestReport {
  /** Files counted (a 3-band set counts 3). */
  ingested: number;
  skipped: number;
  rejected: number;
  /** Objects written in this run. */
  objects: number;
  errors: { path: string; reason: string }[];
  seconds: number;
  cancelled: boolean;
  /** What the prior labels file gave, when one was imported. */
  labels: { imported: number; unmatched: number; classesCreated: string[] } | null;
}

/** One cutout shape of a project and how many objects have it. */
export interface CutoutShape {
  size: number;
  bands: number;
  objects: number;
}

export interface ProjectInfo {
  name: string;
  dir: string;
  schema: number;
  counts: Record<string, number>;
  classes: {
    id: number;
    name: string;
    kind: ClassKind;
    interest: number;
    hotkey: string | null;
    count: number;
  }[];
  round: { number: number; status: string } | null;
  /** The cutout shapes present, most common first, and why they cannot be hunted together. */
  cutouts: { shapes: CutoutShape[]; problem: string | null };
}

export interface ExportResult {
  path: string;
  rows: number;
  /** For the model: which one was written and its class outputs. */
  model?: { id: number; round: number | null; classes: number };
}

/** A CSV's header and first rows, and the columns ingest would take for each role. */
export interface TableColumns {
  path: string;
  columns: string[];
  rows: number;
  sample: string[][];
  /** What makes the text unreliable as a table, or null. */
  problem: string | null;
  guess: {
    id: string | null;
    ra: string | null;
    dec: string | null;
    x: string | null;
    y: string | null;
    file: string | null;
    label: string | null;
  };
}

export interface PreviewCutout {
  uid: string;
  /** The file (or the first file of a band set), relative to the path given. */
  file: string;
  x: number | null;
  y: number | null;
  ra: number | null;
  dec: number | null;
  size: number;
  bands: number;
  bandNames: string[] | null;
  /** NHWC values 0–255 (the stored normalisation, quantised for the eye). */
  pixels: number[];
}

export interface IngestPreview {
  /** Survey files found. */
  files: number;
  /** Files and band sets: what ingest decodes one by one. */
  units: number;
  cutouts: PreviewCutout[];
  /** Files refused on the way, with why. */
  rejected: { path: string; reason: string }[];
}

export interface BackupView {
  name: string;
  /** When it was taken and of what (round, labels), in words. */
  description: string;
  bytes: number;
}

export interface ProjectOpened {
  name: string;
  dir: string;
  objects: number;
  /** True when this request made the project. */
  created: boolean;
}

export interface RecentProject {
  dir: string;
  name: string;
  /** ISO time it was last opened. */
  openedAt: string;
  /** False when the folder or its database is gone (moved, deleted, on an unmounted disk). */
  available: boolean;
}

export interface FolderEntry {
  name: string;
  path: string;
  /** project: a folder holding an AHUNT project; survey: a file ingest reads (FITS, JPEG/PNG, CSV). */
  kind: 'project' | 'folder' | 'survey';
}

/** One folder's sub-folders and survey files, for choosing where a project or data lives. */
export interface FolderListing {
  dir: string;
  /** null at the root of the file system. */
  parent: string | null;
  home: string;
  /** The listed folder itself holds a project. */
  isProject: boolean;
  /** Folders first, then survey files, each by name; hidden entries left out. */
  entries: FolderEntry[];
  /** Other files in the folder, not listed (they are not survey data). */
  otherFiles: number;
  /** More entries exist than were listed. */
  truncated: boolean;
}

/** One SAMP peer registered with the hub, and the MTypes of ours it listens for. */
export interface SampPeer {
  id: string;
  name: string;
  /** Of table.load.votable, image.load.fits, coord.pointAt.sky, table.highlight.row. */
  listensTo: string[];
}

export interface SampStatus {
  /** searching: no hub yet (or it went away); connected: registered with one. */
  state: 'searching' | 'connected';
  /** The hub's name and endpoint when connected. */
  hub: string | null;
  /** A sentence for the status line: where the hub is, or why there is none. */
  message: string;
  peers: SampPeer[];
  /** The last thing that went wrong (a peer that did not answer, a malformed message), if any. */
  problem: string | null;
  highlightOnFocus: boolean;
}

export interface SampSendReport {
  mtype: string;
  /** What was sent, for a toast: "catalogue (1234 rows)". */
  sent: string;
  rows: number | null;
  /** Each peer it went to, and what it said. */
  recipients: { id: string; name: string; ok: boolean; message: string | null }[];
}

export interface Outputs {
  'project.info': ProjectInfo;
  'project.open': ProjectOpened;
  'project.recent': { current: string; projects: RecentProject[] };
  'folder.list': FolderListing;
  'session.state': SessionState;
  'round.start': SessionState;
  'round.finish': { started: boolean };
  'round.cancelTraining': { cancelled: boolean };
  'label.set': { eventId: number; classes: ClassView[] };
  /** objectId: the object whose label was undone; labelId: its label now (an earlier one, or null). */
  'label.undo': { objectId: number | null; labelId: number | null; classes: ClassView[] };
  'class.create': ClassView;
  'class.rename': ClassView[];
  'class.merge': ClassView[];
  'class.recolour': ClassView[];
  'class.interest': ClassView[];
  'class.hotkey': ClassView[];
  'object.get': ObjectView;
  'object.original': OriginalImage;
  /** total: how many match; items: the page asked for. */
  'objects.find': { total: number; items: FoundObject[] };
  'object.annotate': AnnotationView;
  'history.get': HistoryView;
  'latent.map': LatentMap;
  'objects.similar': SimilarObjects;
  'settings.get': Settings;
  'settings.set': Settings;
  'ingest.start': { started: boolean };
  'ingest.cancel': { cancelled: boolean };
  'ingest.preview': IngestPreview;
  'table.inspect': TableColumns;
  'export.run': ExportResult;
  'score.model': { path: string; rows: number; backend: string };
  'score.import': { path: string; rows: number; modelId: number };
  'backup.list': { dir: string; backups: BackupView[] };
  'backup.restore': {
    database: string;
    restored: BackupView;
    /** Where the replaced database went (renamed, never deleted). */
    movedAside: string[];
  };
  'samp.status': SampStatus;
  'samp.connect': SampStatus;
  'samp.send': SampSendReport;
  'samp.focus': { highlighted: number };
  'samp.settings': SampStatus;
}

export type Output<M extends Method> = Outputs[M];

/** The current label of objects whose label just changed (a label, an undo). */
export interface LabelsChanged {
  /** labelId null: the object has no label any more (its only label was undone). */
  labels: { objectId: number; labelId: number | null }[];
  /** Classes with their new counts. */
  classes: ClassView[];
  /** Objects with a label in the whole project. */
  labelled: number;
}

/** Events pushed from the engine to every door. */
export interface Events {
  /** Another project is open now: everything the renderer shows must be fetched again. */
  'project.changed': { dir: string; name: string };
  'session.changed': SessionState;
  /**
   * Sent instead of a whole session.changed for labels and undos: the state of 64 questions
   * and every class, rebuilt, sent and re-applied for each keypress, was most of the time
   * between a keypress and its label showing as done.
   */
  'labels.changed': LabelsChanged;
  /** An object's note or uncertain flag changed (object.annotate, from any door). */
  'annotation.changed': AnnotationView;
  'training.progress': TrainingState;
  'ingest.progress': {
    done: number;
    total: number;
    ingested: number;
    skipped: number;
    rejected: number;
    objects: number;
    filesPerSecond: number;
  };
  'ingest.done': IngestReport;
  'engine.error': ApiError;
  'samp.status': SampStatus;
  /** A SAMP peer pointed at one of our objects (table.highlight.row, coord.pointAt.sky): focus it. */
  'samp.focus': { objectId: number; from: string; why: string };
  /** A SAMP peer selected rows of a table we sent (table.select.rowList): a batch to label. */
  'samp.selection': { objectIds: number[]; from: string };
  /** The desktop menu asks the window to run one of its keyboard actions (as its key would). */
  'window.action': { action: string };
}
export type EventName = keyof Events;

export interface ApiError {
  code: string;
  /** A sentence for the user that says what went wrong and what to do. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Pixels of one object: float32 NHWC in [0, 1]; bands = channels. */
export interface PixelData {
  size: number;
  bands: number;
  data: Float32Array;
}

/**
 * What the renderer sees as `window.ahunt` (desktop) or builds over HTTP (browser): it cannot
 * tell the doors apart.
 */
export interface AhuntApi {
  call<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /**
   * Pixels of several objects at once (at most MAX_PIXEL_BATCH), in the order asked; null for
   * an object that does not exist.
   */
  pixels(objectIds: readonly number[]): Promise<(PixelData | null)[]>;
}

export function validate<M extends Method>(method: string, input: unknown): Result<Input<M>> {
  // Own keys only: `constructor`, `toString` and the rest of Object.prototype are no requests.
  if (!Object.hasOwn(requestSchemas, method)) {
    return {
      ok: false,
      error: { code: 'unknown-method', message: `Unknown request "${method}".` },
    };
  }
  const parsed = requestSchemas[method as M].safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    return {
      ok: false,
      error: {
        code: 'invalid-request',
        message: `Invalid ${method} request${where}: ${issue?.message ?? 'bad input'}.`,
      },
    };
  }
  return { ok: true, value: parsed.data as Input<M> };
}
