import type {
  ClassView,
  Events,
  EventName,
  LabelsChanged,
  RoundPhase,
  SessionState,
  Settings,
  SimilarObjects,
  TrainingState,
} from '../../contract/contract';
import { createRng, pickQuestions } from '../learn/strategies';
import type { BackendInfo, ScoreResult, StrategyName } from '../learn/types';
import {
  createClass,
  getClass,
  listClasses,
  mergeClass,
  renameClass,
  setClassColour,
  setClassHotkey,
  setClassInterest,
} from '../store/classes';
import { backupDatabase, ROUND_DONE } from '../store/backup';
import { ProjectError } from '../store/errors';
import {
  assertObjectExists,
  countLabelled,
  currentLabel,
  currentLabels,
  recordLabel,
  undoLastLabel,
} from '../store/labels';
import {
  latestModel,
  latestTrainedModel,
  saveLatents,
  saveModel,
  saveScores,
} from '../store/models';
import { databasePath, type Project } from '../store/project';
import { objectIdBounds } from '../store/score-pages';
import { getMeta } from '../store/settings';
import {
  latestRound,
  setQuestions,
  setRoundMetrics,
  setRoundStatus,
  setRoundTimings,
  startRound,
  type RoundRow,
} from '../store/rounds';
import { coldStartScores, POOL, poolThumbnails } from './cold-start';
import { fusionInput } from './fusion-round';
import { LatentIndexBuilder, latentStride as latentStrideFor } from './latent-index';
import { SimilarSearch } from './similar';
import { loadImages, unlabelledBatches } from '../store/image-batches';
import { projectImageShape, routeShape, type ImageShape } from './images';
import { ObjectCount } from './object-count';
import { scoreUnlabelledPages } from './score-pages';
import type { Checkpoint, ModelRunner } from './runner';
import { readSettings, writeSettings } from './settings';
import { trainingBatchFor } from './train-batch';
import { runProjectWarmStart, warmStartDue } from './warm-start';
import { classViews, outputToClass, questionViews, roundYield } from './views';

export type EmitFn = <E extends EventName>(event: E, payload: Events[E]) => void;

/** Object ids per page read from the database and per scoring call. */
const SCORE_BATCH = 1024;
/**
 * Scores written per transaction. Each commit rewrites the pages of the score index it
 * touches, which are spread over the whole index (a new score lands anywhere): 1,024 rows
 * per commit cost ~33 µs of CPU per row, 8,192 ~15 µs, while one commit still holds the
 * thread for only ~0.1 s and 10^6 scores never wait in memory for one giant write.
 */
const SCORE_WRITE_ROWS = 8192;
/**
 * Page requests queued for the model at once. A queued request is a few numbers (the worker
 * reads the pixels when it gets to it), so four per replica cost nothing and keep both busy
 * while this thread is held up by a scores commit (at 10^6 objects each one rewrites MBs).
 */
const SCORE_PAGES_IN_FLIGHT = 8;
/**
 * Latent vectors a round keeps, for "more like this" (similar.ts) and the latent map: every
 * object's up to this many, so the neighbour search is exact to 2·10^5 objects, and an evenly
 * spread sample of this many beyond (10^6 × 256 bytes would be 256 MB on disk and in memory).
 * Kept as float32: 256 bytes an object, next to ≈ 9 KB of pixels.
 */
export const LATENT_SAMPLE = 200_000;

/**
 * A labelling session on one project: the one place that runs a round, whichever door
 * (window, server, CLI) asks. Round life: scoring → asking (the expert answers) → training
 * → done, then the next round starts. Every state change is in the store first, so reopening
 * the project resumes exactly where it stopped (an interrupted scoring or training phase is
 * simply redone; the questions of an unfinished round are kept).
 */
export class HuntSession {
  private phase: RoundPhase = 'idle';
  private training: TrainingState | null = null;
  /** Why the last round could not go on, until one does: part of the state pages read. */
  private stopped: { message: string; action: 'retry-round' } | null = null;
  private backend: BackendInfo | null = null;
  private job: Promise<void> | null = null;
  private modelReady = false;
  private readonly objects: ObjectCount;
  private latentSample = LATENT_SAMPLE;
  private readonly neighbours: SimilarSearch;
  private wrote: () => void = () => {};

  private constructor(
    readonly project: Project,
    private readonly runner: ModelRunner,
    private readonly emit: EmitFn,
    private readonly seed: number,
  ) {
    this.objects = new ObjectCount(project.db);
    this.neighbours = new SimilarSearch(
      project.db,
      () => this.objects.get(),
      (objectId) => this.currentLatent(objectId),
    );
  }

  static async open(
    project: Project,
    runner: ModelRunner,
    emit: EmitFn = () => {},
    options: {
      seed?: number;
      latentSample?: number;
      /** Called after each write of the expert's (label, undo, taxonomy): flush it soon. */
      wrote?: () => void;
    } = {},
  ): Promise<HuntSession> {
    const session = new HuntSession(project, runner, emit, options.seed ?? 1);
    session.wrote = options.wrote ?? (() => {});
    session.latentSample = Math.max(1, options.latentSample ?? LATENT_SAMPLE);
    session.backend = await runner.init(readSettings(project.db).backend, routeShape(project.db));
    session.resume();
    // A round that waits for the expert: read the latest model's vectors for "more like this".
    if (session.phase === 'asking') session.neighbours.warmSoon();
    return session;
  }

  private get db() {
    return this.project.db;
  }

  /** Picks up an interrupted round: a phase that was running when the app stopped is redone. */
  private resume(): void {
    const round = latestRound(this.db);
    if (!round || round.status === 'done' || round.status === 'cancelled') return;
    if (round.status === 'asking') this.phase = 'asking';
    else if (round.status === 'scoring') this.runJob(() => this.scoreAndAsk(round));
    else if (round.status === 'training') this.runJob(() => this.trainThenNext(round));
  }

  /** Waits for the background job (scoring/training) in progress, if any. */
  async idle(): Promise<void> {
    while (this.job) await this.job;
  }

  /**
   * Stops a training early (its answers are saved; the next open retrains), waits for the
   * rest of the background work, then frees the model (and its worker). The project stays
   * open. Switching projects must not wait for every epoch of a long training.
   */
  async close(): Promise<void> {
    if (this.phase === 'training') this.runner.cancelTraining();
    await this.idle();
    await this.runner.dispose();
  }

  state(): SessionState {
    const round = latestRound(this.db);
    const objects = this.objects.get();
    const empty =
      objects === 0
        ? 'This project has no objects yet: ingest a folder of cutouts to start hunting.'
        : null;
    const blocker = empty ?? (this.phase === 'idle' ? (this.stopped?.message ?? null) : null);
    return {
      project: {
        name: getMeta(this.db, 'name') ?? '',
        dir: this.project.dir,
        objects,
        labelled: countLabelled(this.db),
      },
      backend: this.backend,
      round: round
        ? {
            number: round.number,
            phase: this.phase,
            strategy: round.strategy,
            queries: round.queries,
          }
        : null,
      questions: round ? questionViews(this.db, round.number) : [],
      classes: classViews(this.db),
      training: this.training,
      blocker,
      blockerAction: empty ? 'ingest' : blocker ? 'retry-round' : null,
    };
  }

  private changed(): void {
    this.wrote();
    this.emit('session.changed', this.state());
  }

  /** Starts a round when none is open (first start, or after a cancelled one). */
  async startRound(): Promise<SessionState> {
    const round = latestRound(this.db);
    if (round && round.status !== 'done' && round.status !== 'cancelled') {
      // A round whose preparation failed waits, open, for another try (the blocker's action).
      if (!this.job && this.phase === 'idle' && round.status !== 'asking') {
        this.resume();
        await this.idle();
      }
      return this.state();
    }
    if (this.objects.get() === 0) {
      throw new ProjectError(
        'invalid',
        'This project has no objects yet: ingest a folder of cutouts first.',
      );
    }
    const settings = readSettings(this.db);
    const next = startRound(this.db, {
      strategy: settings.strategy,
      queries: settings.queries,
      backend: this.backend?.name ?? null,
    });
    this.phase = 'scoring';
    this.runJob(() => this.scoreAndAsk(next));
    await this.idle();
    return this.state();
  }

  /** Opens a round in the background when none is open and there is something to ask about. */
  startRoundSoon(): void {
    const round = latestRound(this.db);
    const open = round && round.status !== 'done' && round.status !== 'cancelled';
    if (open || this.job || this.objects.get() === 0) return;
    this.startRound().catch((error: unknown) => {
      this.stopped = { message: (error as Error).message, action: 'retry-round' };
      this.emit('engine.error', { code: 'round-failed', message: (error as Error).message });
      this.changed();
    });
  }

  /** Ends the expert's part of the round: train in the background, then ask the next batch. */
  finishRound(): { started: boolean } {
    const round = latestRound(this.db);
    if (!round || this.phase !== 'asking') {
      throw new ProjectError(
        'conflict',
        this.phase === 'training' || this.phase === 'scoring'
          ? 'The model is still preparing the next round; keep labelling, it will arrive shortly.'
          : 'There is no round in progress to finish.',
      );
    }
    setRoundStatus(this.db, round.number, 'training');
    this.runJob(() => this.trainThenNext(round));
    return { started: true };
  }

  cancelTraining(): { cancelled: boolean } {
    if (this.phase !== 'training') return { cancelled: false };
    this.runner.cancelTraining();
    return { cancelled: true };
  }

  label(
    objectId: number,
    classId: number,
    seconds?: number,
  ): { eventId: number; classes: ClassView[] } {
    assertObjectExists(this.db, objectId);
    const cls = getClass(this.db, classId);
    if (!cls) throw new ProjectError('not-found', `There is no class ${classId}; create it first.`);
    if (cls.kind === 'reserve') {
      throw new ProjectError(
        'invalid',
        `"${cls.name}" is the reserve class; it is never given examples. Pick or create a class.`,
      );
    }
    const round = latestRound(this.db)?.number ?? 0;
    const eventId = recordLabel(this.db, {
      objectId,
      classId,
      round,
      seconds: seconds ?? null,
      origin: 'ui',
    });
    return { eventId, classes: this.labelsChanged([objectId]).classes };
  }

  undo(): { objectId: number | null; labelId: number | null; classes: ClassView[] } {
    const undone = undoLastLabel(this.db);
    const objectId = undone?.object_id ?? null;
    const { labels, classes } = this.labelsChanged(objectId === null ? [] : [objectId]);
    return { objectId, labelId: labels[0]?.labelId ?? null, classes };
  }

  /**
   * Tells every door the current label of objects that were just labelled or unlabelled,
   * with the new class counts (returned as well, for the caller's reply). A keypress costs
   * this small event, not a whole session state.
   */
  private labelsChanged(objectIds: number[]): LabelsChanged {
    this.wrote();
    const change: LabelsChanged = {
      labels: objectIds.map((objectId) => ({
        objectId,
        labelId: currentLabel(this.db, objectId) ?? null,
      })),
      classes: classViews(this.db),
      labelled: countLabelled(this.db),
    };
    this.emit('labels.changed', change);
    return change;
  }

  createClass(
    name: string,
    kind: 'anomaly' | 'normal' = 'anomaly',
    hotkey?: string | null,
  ): ClassView {
    const round = latestRound(this.db)?.number ?? 0;
    const owner = hotkey ? listClasses(this.db).find((c) => c.hotkey === hotkey) : undefined;
    if (owner) {
      throw new ProjectError(
        'conflict',
        `Key ${hotkey} already labels "${owner.name}"; pick another key or none.`,
      );
    }
    const row = createClass(this.db, {
      name,
      kind,
      round,
      ...(hotkey !== undefined ? { hotkey } : {}),
    });
    this.changed();
    return classViews(this.db).find((c) => c.id === row.id)!;
  }

  renameClass(id: number, name: string): ClassView[] {
    this.requireClass(id);
    renameClass(this.db, id, name);
    return this.classesChanged();
  }

  mergeClass(from: number, into: number): ClassView[] {
    mergeClass(this.db, from, into);
    return this.classesChanged();
  }

  recolourClass(id: number, colour: string): ClassView[] {
    this.requireClass(id);
    setClassColour(this.db, id, colour);
    return this.classesChanged();
  }

  setInterest(id: number, interest: number): ClassView[] {
    this.requireClass(id);
    setClassInterest(this.db, id, interest);
    return this.classesChanged();
  }

  setHotkey(id: number, hotkey: string | null): ClassView[] {
    this.requireClass(id);
    setClassHotkey(this.db, id, hotkey);
    return this.classesChanged();
  }

  settings(): Settings {
    return readSettings(this.db);
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    const before = readSettings(this.db);
    const after = writeSettings(this.db, patch);
    if (after.backend !== before.backend && this.phase !== 'training' && this.phase !== 'scoring') {
      this.backend = await this.runner.init(after.backend, routeShape(this.db));
      this.modelReady = false; // rebuilt from the checkpoint on the new backend
    }
    this.changed();
    return after;
  }

  private requireClass(id: number): void {
    if (!getClass(this.db, id)) throw new ProjectError('not-found', `There is no class ${id}.`);
  }

  private classesChanged(): ClassView[] {
    this.changed();
    return classViews(this.db);
  }

  private runJob(work: () => Promise<void>): void {
    this.stopped = null;
    const job = work()
      .catch((error: unknown) => {
        // A round whose training failed goes back to the expert with its answers saved (they
        // were stored as they were given), so "finish" can be tried again after the fix.
        const open = latestRound(this.db);
        if (open?.status === 'training') setRoundStatus(this.db, open.number, 'asking');
        this.phase = latestRound(this.db)?.status === 'asking' ? 'asking' : 'idle';
        this.training = null;
        const message = `The round could not be prepared: ${(error as Error).message}`;
        this.stopped = { message, action: 'retry-round' };
        this.emit('engine.error', { code: 'round-failed', message });
      })
      .finally(() => {
        if (this.job === job) this.job = null;
        this.changed();
      });
    this.job = job;
  }

  /** Softmax width: every class that ever had a column keeps it (merged ones included). */
  private outputs(): number {
    const indices = listClasses(this.db, { includeMerged: true }).map((c) => c.output_index ?? -1);
    return Math.max(...indices) + 1;
  }

  private async ensureModel(shape: ImageShape): Promise<void> {
    if (!this.modelReady) {
      const saved = latestModel(this.db);
      const checkpoint: Checkpoint | null = saved
        ? {
            spec: JSON.parse(saved.architecture) as Checkpoint['spec'],
            weights: new Uint8Array(saved.weights),
          }
        : null;
      const compatible =
        checkpoint && checkpoint.spec.size === shape.size && checkpoint.spec.bands === shape.bands;
      await this.runner.load(
        { size: shape.size, bands: shape.bands, classes: this.outputs(), seed: this.seed },
        compatible ? checkpoint : null,
      );
      this.modelReady = true;
    }
    await this.runner.ensureOutputs(this.outputs());
  }

  private async scoreAndAsk(round: RoundRow): Promise<void> {
    this.phase = 'scoring';
    this.neighbours.invalidate();
    // batch/batches count objects while scoring (the bar shows objects scored of the total).
    this.training = {
      phase: 'scoring',
      epoch: 0,
      epochs: 0,
      batch: 0,
      batches: Math.max(0, this.objects.get() - countLabelled(this.db)),
      loss: null,
      imagesPerSecond: null,
      eta: null,
    };
    this.changed();
    const shape = projectImageShape(this.db);
    if (!shape) throw new Error('the project has no objects; ingest some first');
    await this.ensureModel(shape);
    const started = performance.now();
    const outputs = this.outputs();
    const columns = outputToClass(this.db);
    const weights = new Array<number>(outputs).fill(0);
    const names = new Array<string>(outputs).fill('');
    for (const [index, c] of columns) {
      names[index] = c.name;
      // A merged class's column contributes to its live class only through the live column.
      const own = listClasses(this.db).find((k) => k.output_index === index);
      weights[index] = own ? own.interest : 0;
    }
    const total = this.objects.get() - countLabelled(this.db);
    let ids = new Int32Array(Math.max(total, 1));
    let probs = new Float32Array(Math.max(total, 1) * outputs);
    let n = 0;
    // Only a model a round trained scores; the warm start's alone leaves the round to the pixels.
    const model = latestTrainedModel(this.db);
    const thumbDims = POOL * POOL * shape.bands;
    let thumbs = model ? null : new Float32Array(Math.max(total, 1) * thumbDims);
    const latentStride = latentStrideFor(total, this.latentSample);
    // The kept vectors, in memory too: the neighbour search and the fusion strategy use them.
    const kept = model ? new LatentIndexBuilder(model.id) : null;
    /** Row (of ids/probs) of each kept vector, in the order they were kept. */
    let keptRows = new Int32Array(0);
    let unsaved: { objectId: number; score: number; probs: Float32Array; latent?: Float32Array }[] =
      [];
    let lastEmit = 0;
    const saveUnsaved = () => {
      if (model && unsaved.length > 0) saveScores(this.db, model.id, unsaved);
      unsaved = [];
    };
    const collect = (pageIds: Int32Array, result: ScoreResult | null) => {
      if (n + pageIds.length > ids.length) {
        // Objects ingested while scoring: grow.
        const grownIds = new Int32Array((n + pageIds.length) * 2);
        grownIds.set(ids.subarray(0, n));
        ids = grownIds;
        const grownProbs = new Float32Array(ids.length * outputs);
        grownProbs.set(probs.subarray(0, n * outputs));
        probs = grownProbs;
      }
      ids.set(pageIds, n);
      if (model && result) {
        probs.set(result.probs.subarray(0, pageIds.length * outputs), n * outputs);
        for (let i = 0; i < pageIds.length; i++) {
          const p = result.probs.slice(i * outputs, (i + 1) * outputs);
          let score = 0;
          for (let c = 0; c < outputs; c++) score += weights[c]! * p[c]!;
          const keepLatent = (n + i) % latentStride === 0;
          const latent = keepLatent
            ? result.latent.slice(i * result.latentSize, (i + 1) * result.latentSize)
            : null;
          if (latent && kept) {
            if (kept.count === keptRows.length) {
              const grown = new Int32Array(Math.max(1024, keptRows.length * 2));
              grown.set(keptRows);
              keptRows = grown;
            }
            keptRows[kept.count] = n + i;
            kept.add(pageIds[i]!, latent);
          }
          unsaved.push({ objectId: pageIds[i]!, score, probs: p, ...(latent ? { latent } : {}) });
        }
        if (unsaved.length >= SCORE_WRITE_ROWS) saveUnsaved();
      }
      n += pageIds.length;
      if (this.training) {
        // Objects scored so far of those to score, the rate and what is left at that rate.
        const now = performance.now();
        const seconds = (now - started) / 1000;
        const rate = seconds > 0 ? n / seconds : null;
        this.training = {
          ...this.training,
          batch: n,
          batches: total,
          imagesPerSecond: rate,
          eta: rate ? Math.max(0, total - n) / rate : null,
        };
        if (now - lastEmit > 200 || n >= total) {
          lastEmit = now;
          this.emit('training.progress', this.training);
        }
      }
    };
    if (model) {
      // The model workers read and decode the pages themselves (their own read-only
      // connections); this thread only writes the scores that come back.
      await scoreUnlabelledPages(
        this.runner,
        {
          source: { file: databasePath(this.project.dir), size: shape.size, bands: shape.bands },
          bounds: () => objectIdBounds(this.db),
          rangeSize: SCORE_BATCH,
          inFlight: SCORE_PAGES_IN_FLIGHT,
        },
        (page) => collect(page.ids, page),
      );
      saveUnsaved();
    } else {
      // Before the first training the CNN is random and the cold start looks at pixels only,
      // so the network is not run: this thread pools every page into thumbnails.
      for (const batch of unlabelledBatches(this.db, shape, SCORE_BATCH)) {
        if ((n + batch.ids.length) * thumbDims > thumbs!.length) {
          const grown = new Float32Array((n + batch.ids.length) * 2 * thumbDims);
          grown.set(thumbs!);
          thumbs = grown;
        }
        poolThumbnails(batch.images, thumbs!, n * thumbDims);
        collect(batch.ids, null);
      }
    }
    const settings = readSettings(this.db);
    const strategy = round.strategy as StrategyName;
    const fusion =
      strategy === 'fusion' && kept
        ? await fusionInput(kept.added(), kept.count, kept.latentSize, keptRows, n, {
            seed: this.seed * 1000 + round.number,
            reserve: listClasses(this.db).find((c) => c.kind === 'reserve')?.output_index ?? null,
          })
        : null;
    const candidates = fusion?.candidates ?? Int32Array.from({ length: n }, (_, i) => i);
    const picked = thumbs
      ? coldStartQuestions(thumbs, n, shape.bands, Math.min(settings.queries, n), this.seed)
      : pickQuestions({
          probs: probs.subarray(0, n * outputs),
          classes: outputs,
          weights,
          candidates,
          q: Math.min(settings.queries, candidates.length),
          // Fusion without vectors (no reserve class) falls back to the paper's default.
          strategy: strategy === 'fusion' && !fusion ? 'most-anomalous' : strategy,
          rng: createRng(this.seed * 100_003 + round.number),
          classNames: names,
          ...(fusion ? { novelty: fusion.novelty, reserve: fusion.reserve } : {}),
        }).map((q) => ({ ...q, classId: columns.get(q.classIndex)?.id ?? null }));
    setQuestions(
      this.db,
      round.number,
      picked.map((q) => ({
        objectId: ids[q.index]!,
        classId: q.classId,
        score: q.score,
        why: q.why,
      })),
    );
    if (model && latentStride > 1) {
      // The asked objects are the ones that will be labelled, and the latent map shows every
      // labelled object: they keep a latent vector whether or not the sample took them.
      const asked = picked.map((q) => ids[q.index]!);
      const seen = await this.runner.score(loadImages(this.db, asked, shape));
      const latents = asked.map((objectId, i) => ({
        objectId,
        latent: seen.latent.slice(i * seen.latentSize, (i + 1) * seen.latentSize),
      }));
      saveLatents(this.db, latents);
      for (const { objectId, latent } of latents) kept?.add(objectId, latent);
    }
    if (model && kept) {
      await this.scoreLabelled(model.id, shape, weights, kept);
      this.neighbours.adopt(kept.finish());
    }
    setRoundTimings(this.db, round.number, {
      scoreSeconds: (performance.now() - started) / 1000,
      ...(this.backend ? { backend: this.backend.name } : {}),
    });
    setRoundStatus(this.db, round.number, 'asking');
    this.phase = 'asking';
    this.training = null;
  }

  /**
   * Scores the labelled objects too (a round's pages hold only unlabelled ones), so "more like
   * this" finds them in the current latent space with their labels. A few hundred to a few
   * thousand objects: one model call per page.
   */
  private async scoreLabelled(
    modelId: number,
    shape: ImageShape,
    weights: number[],
    kept: LatentIndexBuilder,
  ) {
    const labelled = currentLabels(this.db).map((l) => l.objectId);
    for (let start = 0; start < labelled.length; start += SCORE_BATCH) {
      const ids = labelled.slice(start, start + SCORE_BATCH);
      const seen = await this.runner.score(loadImages(this.db, ids, shape));
      const outputs = seen.probs.length / ids.length;
      saveScores(
        this.db,
        modelId,
        ids.map((objectId, i) => {
          const probs = seen.probs.slice(i * outputs, (i + 1) * outputs);
          let score = 0;
          for (let c = 0; c < outputs; c++) score += (weights[c] ?? 0) * probs[c]!;
          const latent = seen.latent.slice(i * seen.latentSize, (i + 1) * seen.latentSize);
          kept.add(objectId, latent);
          return { objectId, score, probs, latent };
        }),
      );
    }
  }

  /**
   * "More like this": the k nearest objects to one in the latest model's latent space. Not
   * while a round rewrites the vectors; while training, only from the vectors already stored.
   */
  async similar(objectId: number, k: number): Promise<SimilarObjects> {
    assertObjectExists(this.db, objectId);
    if (this.phase === 'scoring') {
      throw new ProjectError(
        'conflict',
        'The model is scoring the next round; ask for similar objects when its questions arrive.',
      );
    }
    return this.neighbours.similar(objectId, k);
  }

  /** An object's latent vector from the latest model, by running it on the object. */
  private async currentLatent(objectId: number): Promise<Float32Array> {
    if (this.phase === 'training' || this.phase === 'scoring') {
      throw new ProjectError(
        'conflict',
        'This object has no vector from the latest model yet and the model is training; ask again when the next round starts.',
      );
    }
    const shape = projectImageShape(this.db);
    if (!shape) throw new ProjectError('invalid', 'This project has no objects yet.');
    await this.ensureModel(shape);
    const seen = await this.runner.score(loadImages(this.db, [objectId], shape));
    return seen.latent.slice(0, seen.latentSize);
  }

  /** The project's warm start (warm-start.ts), with the training bar's progress. */
  private async warmStart(shape: ImageShape, settings: Settings): Promise<boolean> {
    let lastEmit = 0;
    return runProjectWarmStart({
      db: this.db,
      file: databasePath(this.project.dir),
      runner: this.runner,
      shape,
      epochs: settings.warmStart,
      seed: this.seed,
      backend: this.backend?.name,
      classMap: this.classMap(this.outputs()),
      onProgress: (p) => {
        this.training = { phase: 'warm-start', ...p };
        const now = performance.now();
        if (now - lastEmit > 200 || p.batch === p.batches) {
          lastEmit = now;
          this.emit('training.progress', this.training);
        }
      },
    });
  }

  /** Output index → class id, as stored with a model. */
  private classMap(outputs: number): number[] {
    const classMap = new Array<number>(outputs).fill(0);
    for (const [index, c] of outputToClass(this.db)) if (index < outputs) classMap[index] = c.id;
    return classMap;
  }

  private async trainThenNext(round: RoundRow): Promise<void> {
    this.phase = 'training';
    const settings = readSettings(this.db);
    this.training = {
      phase: 'training',
      epoch: 0,
      epochs: settings.epochs,
      batch: 0,
      batches: 0,
      loss: null,
      imagesPerSecond: null,
      eta: null,
    };
    this.changed();
    const shape = projectImageShape(this.db)!;
    await this.ensureModel(shape);
    if (warmStartDue(this.db, settings.warmStart) && !(await this.warmStart(shape, settings))) {
      // Cancelled: back to the expert; its checkpoint is kept and the next finish resumes it.
      setRoundStatus(this.db, round.number, 'asking');
      this.phase = 'asking';
      this.training = null;
      return;
    }
    const outputs = this.outputs();
    const live = new Map(listClasses(this.db).map((c) => [c.id, c]));
    const reserve = listClasses(this.db).find((c) => c.kind === 'reserve');
    const examples = currentLabels(this.db).filter((l) => {
      const c = live.get(l.classId);
      return c && c.kind !== 'reserve' && c.output_index !== null;
    });
    const started = performance.now();
    let finalLoss: number | null = null;
    if (examples.length > 0) {
      const images = loadImages(
        this.db,
        examples.map((e) => e.objectId),
        shape,
      );
      const labels = Int32Array.from(examples, (e) => live.get(e.classId)!.output_index!);
      const batchSize = trainingBatchFor(shape, examples.length, this.backend?.name);
      let lastEmit = 0;
      const result = await this.runner
        .train(
          images,
          labels,
          { count: outputs, reserve: reserve?.output_index ?? outputs - 1 },
          {
            epochs: settings.epochs,
            batchSize,
            balance: true,
            augment: 'galaxy',
            loss: 'crossentropy',
            hardExamples: false,
            seed: this.seed + round.number,
          },
          (p) => {
            this.training = { phase: 'training', ...p };
            const now = performance.now();
            if (now - lastEmit > 200 || p.batch === p.batches) {
              lastEmit = now;
              this.emit('training.progress', this.training);
            }
          },
        )
        .catch((error: unknown) => {
          if ((error as Error)?.name !== 'AbortError') throw error;
          return null;
        });
      if (!result) {
        // Cancelled: the round goes back to the expert, with its answers and questions intact.
        setRoundStatus(this.db, round.number, 'asking');
        this.phase = 'asking';
        this.training = null;
        return;
      }
      finalLoss = result.finalLoss;
    }
    const trainSeconds = (performance.now() - started) / 1000;
    if (examples.length > 0) {
      // A round with nothing to learn from stores no model: its weights are the ones it loaded
      // (the warm start's, whose head nobody trained, or the last round's), and a copy stored
      // under this round would pass for a trained model and score the next round.
      const checkpoint = await this.runner.checkpoint();
      saveModel(this.db, {
        round: round.number,
        backend: this.backend?.name ?? 'unknown',
        architecture: checkpoint.spec,
        classMap: this.classMap(outputs),
        weights: checkpoint.weights,
        metrics: { loss: finalLoss, examples: examples.length, seconds: trainSeconds },
      });
    }
    const { answered, found } = roundYield(this.db, round.number);
    setRoundMetrics(this.db, round.number, {
      asked: answered,
      found,
      trueCandidatePercent: answered ? (100 * found) / answered : null,
      loss: finalLoss,
    });
    setRoundTimings(this.db, round.number, { trainSeconds });
    setRoundStatus(this.db, round.number, 'done');
    this.training = null;
    const settingsNow = readSettings(this.db);
    const next = startRound(this.db, {
      strategy: settingsNow.strategy,
      queries: settingsNow.queries,
      backend: this.backend?.name ?? null,
    });
    await this.scoreAndAsk(next);
    // The finished round's labels are final: a rolling backup the user can restore if the
    // file is ever damaged. Taken once the next questions are out (a 10^6-object project
    // takes minutes to copy), on a worker thread, so the expert never waits for it.
    await backupDatabase(this.project, ROUND_DONE, round.number).catch((error: unknown) =>
      this.emit('engine.error', { code: 'backup-failed', message: (error as Error).message }),
    );
  }
}

/** The first round's questions: the images an isolation forest finds most unusual. */
function coldStartQuestions(
  thumbs: Float32Array,
  count: number,
  bands: number,
  q: number,
  seed: number,
): { index: number; classId: number | null; score: number; why: string }[] {
  const scores = coldStartScores(thumbs, count, bands, seed);
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  return order.slice(0, q).map((index, rank) => ({
    index,
    classId: null,
    score: scores[index]!,
    why:
      rank === 0
        ? 'No model trained yet: the most unusual image to an isolation forest on the pixels.'
        : `No model trained yet: the ${ordinal(rank + 1)} most unusual image to an isolation forest on the pixels.`,
  }));
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
