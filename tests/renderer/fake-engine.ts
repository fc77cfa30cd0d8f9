/**
 * An in-memory stand-in for the engine that speaks the AhuntApi contract: synthetic survey
 * cutouts (smooth galaxies, a few rings and mergers), rounds, labels with undo, a growing
 * taxonomy, simulated training progress, history and a latent map: the api the renderer unit
 * tests drive the stores and views with (the browser tests use the real `ahunt serve`).
 */
import type {
  AhuntApi,
  ApiError,
  ClassView,
  EventName,
  Events,
  HistoryView,
  Input,
  Method,
  ObjectView,
  Output,
  PixelData,
  QuestionView,
  Result,
  RoundSummary,
  SessionState,
  Settings,
} from '../../src-main/contract/contract';
import { validate } from '../../src-main/contract/contract';

export interface FakeEngineOptions {
  objects?: number;
  size?: number;
  bands?: number;
  queries?: number;
  /** Milliseconds per simulated training epoch. */
  epochMs?: number;
  epochs?: number;
  /** Called after every label change with the full object → class map. */
  onLabels?: (labels: ReadonlyMap<number, { classId: number; eventId: number }>) => void;
}

interface FakeObject {
  id: number;
  kind: 'galaxy' | 'ring' | 'merger';
  seed: number;
  features: [number, number];
}

interface LabelEvent {
  id: number;
  objectId: number;
  classId: number | null;
  previous: number | null;
  round: number;
  undone: boolean;
  at: string;
}

const palette = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];

/** A small deterministic generator so every run shows the same sky. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function fail(code: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

export class FakeEngine implements AhuntApi {
  readonly size: number;
  readonly bands: number;
  private readonly objects: FakeObject[] = [];
  private classes: ClassView[] = [];
  private readonly labels = new Map<number, { classId: number; eventId: number }>();
  private readonly annotations = new Map<number, { note: string; uncertain: boolean }>();
  private readonly events: LabelEvent[] = [];
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private settings: Settings;
  private round = 1;
  private phase: 'asking' | 'training' = 'asking';
  private questions: Omit<QuestionView, 'labelId' | 'uncertain'>[] = [];
  private readonly rounds: RoundSummary[] = [];
  private readonly discovery: { asked: number; found: number }[] = [];
  private readonly asked = new Set<number>();
  private nextClassId = 1;
  private nextEventId = 1;
  private trainingTimer: ReturnType<typeof setTimeout> | null = null;
  /** Requests answered, per method: lets tests prove a display change made no engine call. */
  readonly calls = new Map<string, number>();
  pixelRequests = 0;

  constructor(private readonly options: FakeEngineOptions = {}) {
    this.size = options.size ?? 32;
    this.bands = options.bands ?? 1;
    const random = rng(7);
    const count = options.objects ?? 300;
    for (let id = 1; id <= count; id++) {
      const r = random();
      const kind = r < 0.05 ? 'ring' : r < 0.1 ? 'merger' : 'galaxy';
      const cx = kind === 'galaxy' ? 0 : kind === 'ring' ? 3 : -3;
      const features: [number, number] = [cx + (random() - 0.5) * 2, (random() - 0.5) * 2];
      this.objects.push({ id, kind, seed: Math.floor(random() * 1e9), features });
    }
    this.settings = {
      strategy: 'most-anomalous',
      queries: options.queries ?? 16,
      epochs: options.epochs ?? 3,
      imageSize: this.size,
      backend: 'auto',
      warmStart: 0,
    };
    // Like the real engine: the normal class sits on 0, new classes take 1–9.
    this.addClass('normal', 'normal', '0');
    this.addClass('unknown', 'reserve', null);
    this.pickQuestions();
  }

  // ---- AhuntApi -------------------------------------------------------------------------

  async call<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>> {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    const valid = validate<M>(method, input);
    if (!valid.ok) return valid as Result<Output<M>>;
    return this.handle(method, valid.value) as Result<Output<M>>;
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  async pixels(objectIds: readonly number[]): Promise<(PixelData | null)[]> {
    this.pixelRequests++;
    return objectIds.map((objectId) => {
      const object = this.objects[objectId - 1];
      return object ? { size: this.size, bands: this.bands, data: this.render(object) } : null;
    });
  }

  // ---- engine behaviour -------------------------------------------------------------------

  labelCount(): number {
    return this.labels.size;
  }

  dispose(): void {
    if (this.trainingTimer) clearTimeout(this.trainingTimer);
  }

  /** Pushes an event as the engine would (a SAMP peer's highlight, say): for tests. */
  announce<E extends EventName>(event: E, payload: Events[E]): void {
    this.emit(event, payload);
  }

  private emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  private handle(method: Method, input: unknown): Result<unknown> {
    const args = input as Record<string, unknown>;
    switch (method) {
      case 'project.info':
        return {
          ok: true,
          value: {
            name: this.projects.get(this.projectDir) ?? '',
            dir: this.projectDir,
            schema: 1,
            counts: { objects: this.objects.length },
            classes: [],
            round: null,
          },
        };
      case 'project.open':
        return this.openProject(args.dir as string, args.create === true);
      case 'project.recent':
        return {
          ok: true,
          value: {
            current: this.projectDir,
            projects: [...this.projects].map(([dir, name]) => ({
              dir,
              name,
              openedAt: '2026-01-01T00:00:00.000Z',
              available: true,
            })),
          },
        };
      case 'folder.list':
        return this.listFolder((args.dir as string | undefined) ?? '/home/astro');
      case 'session.state':
        return { ok: true, value: this.state() };
      case 'round.start':
        if (this.phase === 'asking' && this.questions.length === 0) this.pickQuestions();
        return { ok: true, value: this.state() };
      case 'round.finish':
        return this.finish();
      case 'round.cancelTraining':
        return { ok: true, value: { cancelled: false } };
      case 'label.set':
        return this.setLabel(args.objectId as number, args.classId as number);
      case 'label.undo':
        return this.undo();
      case 'class.create': {
        const name = args.name as string;
        if (this.classes.some((c) => c.name.toLowerCase() === name.toLowerCase())) {
          return fail(
            'class-exists',
            `A class called "${name}" exists already; pick another name.`,
          );
        }
        const used = new Set(this.classes.map((c) => c.hotkey));
        const hotkey =
          (args.hotkey as string | undefined) ??
          ['1', '2', '3', '4', '5', '6', '7', '8', '9'].find((k) => !used.has(k)) ??
          null;
        return {
          ok: true,
          value: this.addClass(name, (args.kind as 'anomaly' | 'normal') ?? 'anomaly', hotkey),
        };
      }
      case 'class.rename':
      case 'class.recolour':
      case 'class.interest':
      case 'class.hotkey': {
        const target = this.classes.find((c) => c.id === args.id);
        if (!target) return fail('no-such-class', `There is no class ${String(args.id)}.`);
        if (method === 'class.rename') target.name = args.name as string;
        if (method === 'class.recolour') target.colour = args.colour as string;
        if (method === 'class.interest') target.interest = args.interest as number;
        if (method === 'class.hotkey') target.hotkey = args.hotkey as string | null;
        return { ok: true, value: this.classViews() };
      }
      case 'class.merge': {
        const from = args.from as number;
        const into = args.into as number;
        if (!this.classes.some((c) => c.id === into))
          return fail('no-such-class', `There is no class ${into}.`);
        for (const label of this.labels.values()) if (label.classId === from) label.classId = into;
        this.classes = this.classes.filter((c) => c.id !== from);
        this.persist();
        return { ok: true, value: this.classViews() };
      }
      case 'object.get':
        return this.object(args.id as number);
      case 'object.original':
        return {
          ok: true,
          value: { kind: 'none', reason: 'The fake engine has no original files.' },
        };
      case 'objects.find':
        return { ok: true, value: this.findObjects(args) };
      case 'object.annotate': {
        const id = args.id as number;
        const before = this.annotations.get(id) ?? { note: '', uncertain: false };
        const after = {
          note: typeof args.note === 'string' ? args.note : before.note,
          uncertain: typeof args.uncertain === 'boolean' ? args.uncertain : before.uncertain,
        };
        this.annotations.set(id, after);
        this.emit('annotation.changed', { objectId: id, ...after });
        return { ok: true, value: { objectId: id, ...after } };
      }
      case 'history.get':
        return { ok: true, value: this.historyView() };
      case 'latent.map':
        return {
          ok: true,
          value: {
            method: (args.method as 'pca' | 'umap') ?? 'pca',
            points: this.objects.map((o) => ({
              objectId: o.id,
              x: o.features[0],
              y: o.features[1],
              classId: this.labels.get(o.id)?.classId ?? null,
              score: this.score(o),
            })),
          },
        };
      case 'objects.similar': {
        // The fake's two features stand in for the latent space; searched: every object.
        const self = this.objects.find((o) => o.id === args.id);
        if (!self) return fail('not-found', 'There is no such object.');
        const items = this.objects
          .filter((o) => o !== self)
          .map((o) => ({
            objectId: o.id,
            distance: Math.hypot(
              o.features[0] - self.features[0],
              o.features[1] - self.features[1],
            ),
            labelId: this.labels.get(o.id)?.classId ?? null,
            uncertain: this.annotations.get(o.id)?.uncertain ?? false,
          }))
          .sort((a, b) => a.distance - b.distance)
          .slice(0, (args.k as number | undefined) ?? 24);
        const value = { objectId: self.id, items, searched: this.objects.length - 1 };
        return { ok: true, value: { ...value, exact: true, modelId: 1 } };
      }
      case 'settings.get':
        return { ok: true, value: { ...this.settings } };
      case 'settings.set':
        this.settings = { ...this.settings, ...(input as Partial<Settings>) };
        return { ok: true, value: { ...this.settings } };
      case 'ingest.start':
        this.simulateIngest(args.paths as string[]);
        return { ok: true, value: { started: true } };
      case 'ingest.cancel':
        return { ok: true, value: { cancelled: false } };
      case 'export.run':
        return { ok: true, value: { path: args.out as string, rows: this.labels.size } };
      case 'table.inspect':
        return {
          ok: true,
          value: {
            path: args.path as string,
            columns: ['name', 'RAJ2000', 'DEJ2000', 'mag'],
            rows: 3,
            sample: [['a', '10.5', '-20.1', '15.2']],
            problem: null,
            guess: {
              id: 'name',
              ra: 'RAJ2000',
              dec: 'DEJ2000',
              x: null,
              y: null,
              file: null,
              label: null,
            },
          },
        };
      case 'ingest.preview':
        return {
          ok: true,
          value: {
            files: 1,
            units: 1,
            cutouts: [
              {
                uid: 'frame.fits#a',
                file: 'frame.fits',
                x: 10,
                y: 12,
                ra: 10.5,
                dec: -20.1,
                size: 2,
                bands: 1,
                bandNames: null,
                pixels: [0, 64, 128, 255],
              },
            ],
            rejected: [],
          },
        };
      case 'score.model':
      case 'score.import':
      case 'backup.list':
      case 'backup.restore':
        return {
          ok: false,
          error: { code: 'invalid', message: `The stand-in engine has no ${method}.` },
        };
      case 'samp.status':
      case 'samp.connect':
      case 'samp.settings':
        return {
          ok: true,
          value: {
            state: 'searching',
            hub: null,
            message: 'no SAMP hub is running (the fake engine has none)',
            peers: [],
            problem: null,
            highlightOnFocus: args.highlightOnFocus === true,
          },
        };
      case 'samp.send':
        return {
          ok: false,
          error: { code: 'samp-no-hub', message: 'No SAMP hub is connected (fake engine).' },
        };
      case 'samp.focus':
        return { ok: true, value: { highlighted: 0 } };
    }
  }

  /** Projects by folder: the fake has one set of objects and only pretends to switch. */
  private readonly projects = new Map([['/home/astro/demo', 'Demo survey']]);
  private projectDir = '/home/astro/demo';

  private openProject(dir: string, create: boolean): Result<unknown> {
    if (create && this.projects.has(dir)) {
      return {
        ok: false,
        error: { code: 'already-a-project', message: `${dir} already holds an AHUNT project.` },
      };
    }
    if (create) this.projects.set(dir, dir.split('/').pop() ?? dir);
    const name = this.projects.get(dir);
    if (!name) {
      return {
        ok: false,
        error: { code: 'not-a-project', message: `${dir} is not an AHUNT project.` },
      };
    }
    this.projectDir = dir;
    this.emit('project.changed', { dir, name });
    return { ok: true, value: { name, dir, objects: this.objects.length, created: create } };
  }

  private listFolder(dir: string): Result<unknown> {
    const tree: Record<string, string[]> = {
      '/home/astro': ['demo/', 'survey/'],
      '/home/astro/survey': ['field1.fits', 'field2.fits.fz'],
    };
    for (const project of this.projects.keys()) tree[project] ??= [];
    const names = tree[dir];
    if (!names)
      return { ok: false, error: { code: 'not-found', message: `${dir} does not exist.` } };
    const entries = names.map((n) => {
      const path = `${dir}/${n.replace(/\/$/, '')}`;
      const kind = n.endsWith('/') ? (this.projects.has(path) ? 'project' : 'folder') : 'survey';
      return { name: n.replace(/\/$/, ''), path, kind };
    });
    const parent = dir.includes('/', 1) ? dir.slice(0, dir.lastIndexOf('/')) : '/';
    return {
      ok: true,
      value: {
        dir,
        parent,
        home: '/home/astro',
        isProject: this.projects.has(dir),
        entries,
        otherFiles: 0,
        truncated: false,
      },
    };
  }

  private addClass(name: string, kind: ClassView['kind'], hotkey: string | null): ClassView {
    const id = this.nextClassId++;
    const view: ClassView = {
      id,
      name,
      kind,
      interest: kind === 'anomaly' ? 50 : kind === 'reserve' ? 100 : 0,
      hotkey,
      colour: palette[(id - 1) % palette.length]!,
      count: 0,
      createdRound: this.round,
    };
    this.classes.push(view);
    return { ...view };
  }

  private classViews(): ClassView[] {
    const counts = new Map<number, number>();
    for (const { classId } of this.labels.values())
      counts.set(classId, (counts.get(classId) ?? 0) + 1);
    return this.classes.map((c) => ({ ...c, count: counts.get(c.id) ?? 0 }));
  }

  private score(object: FakeObject): number {
    const base = object.kind === 'galaxy' ? 0.1 : 0.7;
    return Math.min(1, base + ((object.seed % 1000) / 1000) * 0.3);
  }

  private pickQuestions(): void {
    const candidates = this.objects
      .filter((o) => !this.labels.has(o.id) && !this.asked.has(o.id))
      .sort((a, b) => this.score(b) - this.score(a) || a.id - b.id)
      .slice(0, this.settings.queries);
    this.questions = candidates.map((o, rank) => ({
      rank: rank + 1,
      objectId: o.id,
      askedFor: this.classes.find((c) => c.kind === 'reserve')?.id ?? null,
      score: this.score(o),
      why: `most anomalous: P(unknown) = ${this.score(o).toFixed(2)}`,
    }));
    for (const q of this.questions) this.asked.add(q.objectId);
  }

  private state(): SessionState {
    return {
      project: {
        name: this.projects.get(this.projectDir) ?? '',
        dir: this.projectDir,
        objects: this.objects.length,
        labelled: this.labels.size,
      },
      backend: {
        name: 'wasm',
        reason: 'no GPU found; WebAssembly with SIMD is the fastest here',
        detail: 'fake engine',
      },
      round: {
        number: this.round,
        phase: this.phase,
        strategy: this.settings.strategy,
        queries: this.settings.queries,
      },
      questions: this.questions.map((q) => ({
        ...q,
        labelId: this.labels.get(q.objectId)?.classId ?? null,
        uncertain: this.annotations.get(q.objectId)?.uncertain ?? false,
      })),
      classes: this.classViews(),
      training: null,
      blocker: null,
      blockerAction: null,
    };
  }

  private setLabel(objectId: number, classId: number): Result<Output<'label.set'>> {
    if (!this.objects[objectId - 1])
      return fail('no-such-object', `There is no object ${objectId}.`);
    if (!this.classes.some((c) => c.id === classId)) {
      return fail('no-such-class', `There is no class ${classId}; it may have been merged away.`);
    }
    const event: LabelEvent = {
      id: this.nextEventId++,
      objectId,
      classId,
      previous: this.labels.get(objectId)?.classId ?? null,
      round: this.round,
      undone: false,
      at: new Date().toISOString(),
    };
    this.events.push(event);
    this.labels.set(objectId, { classId, eventId: event.id });
    this.persist();
    return { ok: true, value: { eventId: event.id, classes: this.labelsChanged(objectId) } };
  }

  /** As the engine: the object's current label and the class counts, pushed to every page. */
  private labelsChanged(objectId: number): ClassView[] {
    const classes = this.classViews();
    this.emit('labels.changed', {
      labels: [{ objectId, labelId: this.labels.get(objectId)?.classId ?? null }],
      classes,
      labelled: this.labels.size,
    });
    return classes;
  }

  private undo(): Result<Output<'label.undo'>> {
    const last = [...this.events].reverse().find((e) => !e.undone && e.classId !== null);
    if (!last)
      return { ok: true, value: { objectId: null, labelId: null, classes: this.classViews() } };
    last.undone = true;
    if (last.previous === null) this.labels.delete(last.objectId);
    else this.labels.set(last.objectId, { classId: last.previous, eventId: last.id });
    this.persist();
    const classes = this.labelsChanged(last.objectId);
    return {
      ok: true,
      value: { objectId: last.objectId, labelId: last.previous, classes },
    };
  }

  private persist(): void {
    this.options.onLabels?.(this.labels);
  }

  private finish(): Result<Output<'round.finish'>> {
    if (this.phase === 'training')
      return fail('busy', 'The model is still training; wait for the next round.');
    const anomalyIds = new Set(this.classes.filter((c) => c.kind === 'anomaly').map((c) => c.id));
    let found = this.discovery.at(-1)?.found ?? 0;
    let asked = this.discovery.at(-1)?.asked ?? 0;
    let anomalies = 0;
    for (const q of this.questions) {
      const label = this.labels.get(q.objectId);
      if (!label) continue;
      asked++;
      if (anomalyIds.has(label.classId)) {
        found++;
        anomalies++;
      }
      this.discovery.push({ asked, found });
    }
    const answered = this.questions.filter((q) => this.labels.has(q.objectId)).length;
    this.rounds.push({
      number: this.round,
      status: 'done',
      strategy: this.settings.strategy,
      queries: this.settings.queries,
      asked: this.questions.length,
      answered,
      skipped: this.questions.length - answered,
      reasked: 0,
      anomaliesFound: anomalies,
      trueCandidatePercent: answered ? (100 * anomalies) / answered : null,
      scoreSeconds: 0.2,
      trainSeconds: 0.5,
      backend: 'wasm',
      classCounts: Object.fromEntries(this.classViews().map((c) => [c.id, c.count])),
    });
    this.phase = 'training';
    this.emit('session.changed', this.state());
    const epochs = this.settings.epochs;
    const epochMs = this.options.epochMs ?? 150;
    const step = (epoch: number): void => {
      if (epoch <= epochs) {
        this.emit('training.progress', {
          phase: 'training',
          epoch,
          epochs,
          batch: 1,
          batches: 1,
          loss: 1 / (epoch + 1),
          imagesPerSecond: 300,
          eta: ((epochs - epoch) * epochMs) / 1000,
        });
        this.trainingTimer = setTimeout(() => step(epoch + 1), epochMs);
        return;
      }
      this.round++;
      this.phase = 'asking';
      this.pickQuestions();
      this.emit('session.changed', this.state());
    };
    step(1);
    return { ok: true, value: { started: true } };
  }

  private historyView(): HistoryView {
    const anomalyIds = new Set(this.classes.filter((c) => c.kind === 'anomaly').map((c) => c.id));
    const labels = [...this.labels.values()];
    const last = this.discovery.at(-1) ?? { asked: 0, found: 0 };
    return {
      rounds: this.rounds.map((r) => ({ ...r })),
      discovery: [...this.discovery],
      totals: {
        labelled: labels.length,
        anomalies: labels.filter((l) => anomalyIds.has(l.classId)).length,
        answered: last.asked,
        found: last.found,
        otherLabels: labels.length - last.asked,
        imported: 0,
      },
    };
  }

  /** Labelled objects, newest label first (the engine's objects.find, without the text search). */
  private findObjects(args: Record<string, unknown>): Output<'objects.find'> {
    const items = [...this.labels.entries()]
      .filter(([, l]) => args.classId === undefined || l.classId === args.classId)
      .filter(([id]) => !args.uncertain || this.annotations.get(id)?.uncertain === true)
      .sort(([, a], [, b]) => b.eventId - a.eventId)
      .map(([objectId, l]) => ({
        objectId,
        uid: `obj-${objectId}`,
        file: `cutouts/obj_${String(objectId).padStart(5, '0')}.fits`,
        labelId: l.classId,
        labelledAt: '2026-01-01T00:00:00.000Z',
        note: this.annotations.get(objectId)?.note ?? '',
        uncertain: this.annotations.get(objectId)?.uncertain ?? false,
      }));
    return { total: items.length, items };
  }

  private object(id: number): Result<ObjectView> {
    const object = this.objects[id - 1];
    if (!object) return fail('no-such-object', `There is no object ${id}.`);
    const score = this.score(object);
    const classes = this.classViews();
    return {
      ok: true,
      value: {
        id,
        uid: `SDSS J${(120 + id / 10).toFixed(4)}+${(10 + id / 100).toFixed(4)}`,
        file: `cutouts/obj_${String(id).padStart(5, '0')}.fits`,
        hdu: 0,
        x: null,
        y: null,
        ra: 150 + id * 0.01,
        dec: 2 - id * 0.005,
        size: this.size,
        bands: this.bands,
        bandNames: this.bands === 3 ? ['g', 'r', 'i'] : ['r'],
        lo: 0,
        hi: 1,
        labelId: this.labels.get(id)?.classId ?? null,
        score,
        probabilities: classes.map((c) => ({
          classId: c.id,
          p: c.kind === 'reserve' ? score : (1 - score) / Math.max(1, classes.length - 1),
        })),
        history: this.events
          .filter((e) => e.objectId === id)
          .map((e) => ({
            at: e.at,
            round: e.round,
            classId: e.classId,
            kind: 'label',
            undone: e.undone,
          })),
        note: this.annotations.get(id)?.note ?? '',
        uncertain: this.annotations.get(id)?.uncertain ?? false,
      },
    };
  }

  /** Smooth Sérsic-like galaxy, a ring, or two nuclei (a merger), plus sky noise. */
  private render(object: FakeObject): Float32Array {
    const random = rng(object.seed);
    const n = this.size;
    const data = new Float32Array(n * n * this.bands);
    const c = n / 2 + (random() - 0.5) * 2;
    const width = n * (0.06 + random() * 0.06);
    const angle = random() * Math.PI;
    const axis = 0.5 + random() * 0.5;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const dx = x - c;
        const dy = y - c;
        const u = dx * Math.cos(angle) + dy * Math.sin(angle);
        const v = (-dx * Math.sin(angle) + dy * Math.cos(angle)) / axis;
        const r = Math.hypot(u, v);
        let value = Math.exp(-r / width);
        if (object.kind === 'ring')
          value = 0.3 * value + 0.6 * Math.exp(-(((r - width * 2.5) / (width * 0.5)) ** 2));
        if (object.kind === 'merger')
          value += 0.8 * Math.exp(-Math.hypot(u - width * 3, v - width) / (width * 0.7));
        for (let b = 0; b < this.bands; b++) {
          const tint = this.bands === 3 ? [0.7, 0.9, 1][b]! : 1;
          data[(y * n + x) * this.bands + b] = Math.min(
            1,
            Math.max(0, value * tint + 0.02 * (random() - 0.5) + 0.03),
          );
        }
      }
    }
    return data;
  }

  private simulateIngest(paths: string[]): void {
    const total = paths.length * 20;
    let done = 0;
    const tick = (): void => {
      done = Math.min(total, done + 10);
      this.emit('ingest.progress', {
        done,
        total,
        ingested: done,
        skipped: 0,
        rejected: 0,
        objects: done,
        filesPerSecond: 100,
      });
      if (done < total) {
        setTimeout(tick, 30);
        return;
      }
      this.emit('ingest.done', {
        ingested: total - 1,
        skipped: 0,
        rejected: 1,
        errors: [
          {
            path: `${paths[0]}/broken.fits`,
            reason: 'not a FITS file (no SIMPLE card); re-export it as FITS',
          },
        ],
        seconds: 0.3,
        objects: total - 1,
        cancelled: false,
        labels: null,
      });
    };
    setTimeout(tick, 30);
  }
}
