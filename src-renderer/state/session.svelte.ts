/// <reference types="svelte" />
/**
 * The labelling session as the renderer sees it: the current questions, the focus, labels in
 * flight, the taxonomy, and the requests that change them. A label counts as done only once
 * the engine said it is persisted (label.set resolved ok).
 */
import type {
  AhuntApi,
  ApiError,
  ClassView,
  Input,
  LabelsChanged,
  QuestionView,
  SessionState,
  TrainingState,
} from '../../src-main/contract/contract';
import { makeRequester, type Requester } from './requester';

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * Objects to label that are not the round's questions: a class's gallery, a search, a
 * selection from TOPCAT. The grid shows them in place of the round, with the same keys.
 */
export interface Batch {
  title: string;
  questions: QuestionView[];
  /** How many objects the batch's source holds (the grid shows one page). */
  total: number;
  offset: number;
}

export class SessionStore {
  state = $state<SessionState | null>(null);
  loading = $state(true);
  /** Index into `questions` of the focused object. */
  focusIndex = $state(0);
  /** Object id → class id of labels sent but not yet confirmed. */
  pending = $state<Record<number, number>>({});
  /** Objects the user skipped this round (the contract has no skip; it is a local marker). */
  skipped = $state<number[]>([]);
  autoAdvance = $state(true);
  /** Grid columns, set by the grid from its layout so ↑/↓ move by a row. */
  columns = $state(8);
  finishing = $state(false);
  /** Duration of the latest label.set request in ms (for the timing metrics). */
  lastLabelRequestMs = 0;
  /** Latest training progress while the next round is prepared. */
  training = $state<TrainingState | null>(null);
  /** Shown instead of the round's questions while set (review.svelte.ts fills it). */
  batch = $state<Batch | null>(null);
  /** Where the focus was in the round when a batch opened, to return to it. */
  private roundFocus = 0;

  private readonly request: Requester;

  constructor(
    private readonly api: AhuntApi,
    private readonly report: (error: ApiError) => void,
  ) {
    this.request = makeRequester(api, report);
  }

  get questions(): QuestionView[] {
    return this.batch?.questions ?? this.state?.questions ?? [];
  }

  /** Shows a batch in the grid (replacing any other batch); the round waits behind it. */
  showBatch(batch: Batch): void {
    if (!this.batch) this.roundFocus = this.focusIndex;
    this.batch = batch;
    this.skipped = [];
    this.focusIndex = 0;
  }

  /** Back to the round, focused where it was; false when no batch was shown. */
  closeBatch(): boolean {
    if (!this.batch) return false;
    this.batch = null;
    this.focusIndex = Math.min(this.roundFocus, Math.max(0, this.questions.length - 1));
    return true;
  }

  get classes(): ClassView[] {
    return this.state?.classes ?? [];
  }

  get focused(): QuestionView | null {
    return this.questions[this.focusIndex] ?? null;
  }

  get answered(): number {
    return this.questions.filter((q) => q.labelId !== null).length;
  }

  /** The round's answered questions, whatever batch the grid shows. */
  get roundAnswered(): number {
    return (this.state?.questions ?? []).filter((q) => q.labelId !== null).length;
  }

  /** Questions with no answer, given or in flight (skipped ones included). */
  get unanswered(): number {
    return this.questions.filter((q) => q.labelId === null && !(q.objectId in this.pending)).length;
  }

  classById(id: number | null): ClassView | undefined {
    return id === null ? undefined : this.classes.find((c) => c.id === id);
  }

  /** Forgets the open project's round (another project is open now); load() follows. */
  reset(): void {
    this.state = null;
    this.loading = true;
    this.pending = {};
    this.skipped = [];
    this.focusIndex = 0;
    this.training = null;
    this.finishing = false;
    this.batch = null;
    this.roundFocus = 0;
  }

  /** Connects to the engine: first state, then live updates. Returns the unsubscribe. */
  async load(): Promise<void> {
    this.loading = true;
    const state = await this.request('session.state', {});
    if (state) this.applyState(state);
    this.loading = false;
  }

  subscribe(): () => void {
    const offs = [
      this.api.on('session.changed', (state) => this.applyState(state)),
      this.api.on('labels.changed', (change) => this.applyLabels(change)),
      this.api.on('training.progress', (progress) => {
        this.training = progress;
      }),
      this.api.on('engine.error', (error) => this.report(error)),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Replaces the state, keeping the focus on the same object when it is still asked. */
  applyState(next: SessionState): void {
    if (this.batch) {
      // The grid shows a batch: the round changes behind it, its focus is kept for Esc.
      if (next.round?.number !== this.state?.round?.number) this.roundFocus = 0;
      this.state = next;
      this.training = next.training;
      this.batch = { ...this.batch, questions: withLabels(this.batch.questions, next.questions) };
      return;
    }
    const focusedId = this.focused?.objectId;
    const roundChanged = next.round?.number !== this.state?.round?.number;
    this.state = next;
    this.training = next.training;
    if (roundChanged) {
      this.skipped = [];
      this.focusIndex = Math.max(0, this.nextUnlabelled(-1) ?? 0);
      return;
    }
    const kept = next.questions.findIndex((q) => q.objectId === focusedId);
    this.focusIndex =
      kept >= 0 ? kept : Math.min(this.focusIndex, Math.max(0, next.questions.length - 1));
  }

  move(direction: Direction): void {
    const n = this.questions.length;
    if (n === 0) return;
    const columns = Math.max(1, this.columns);
    const step = { left: -1, right: 1, up: -columns, down: columns }[direction];
    const target = this.focusIndex + step;
    if (target < 0 || target >= n) {
      // Left/right wrap through the batch; up/down stop at the edge like a spreadsheet.
      if (direction === 'left') this.focusIndex = n - 1;
      else if (direction === 'right') this.focusIndex = 0;
      return;
    }
    this.focusIndex = target;
  }

  focusObject(objectId: number): boolean {
    const index = this.questions.findIndex((q) => q.objectId === objectId);
    if (index >= 0) this.focusIndex = index;
    return index >= 0;
  }

  /** Whether the question is answered or has its answer in flight or was skipped. */
  isSettled(question: QuestionView): boolean {
    return (
      question.labelId !== null ||
      question.objectId in this.pending ||
      this.skipped.includes(question.objectId)
    );
  }

  /** Index of the first unsettled question after `from` (wrapping), or null when none. */
  nextUnlabelled(from: number): number | null {
    const n = this.questions.length;
    for (let k = 1; k <= n; k++) {
      const i = (from + k + n) % n;
      const question = this.questions[i];
      if (question && !this.isSettled(question)) return i;
    }
    return null;
  }

  private advance(): void {
    if (!this.autoAdvance) return;
    if (this.batch) {
      // A gallery is all labelled already: relabelling walks it in order.
      this.focusIndex = Math.min(this.focusIndex + 1, Math.max(0, this.questions.length - 1));
      return;
    }
    const next = this.nextUnlabelled(this.focusIndex);
    if (next !== null) this.focusIndex = next;
  }

  /** Labels the focused object; resolves true once the engine persisted it. */
  async labelFocused(classId: number, seconds?: number): Promise<boolean> {
    const question = this.focused;
    if (!question) return false;
    return this.label(question.objectId, classId, seconds);
  }

  async label(objectId: number, classId: number, seconds?: number): Promise<boolean> {
    // In place, not a new record: only the cell of this object (a per-key dependency) redraws.
    this.pending[objectId] = classId;
    if (this.skipped.includes(objectId))
      this.skipped = this.skipped.filter((id) => id !== objectId);
    if (this.focused?.objectId === objectId) this.advance();
    const input: Input<'label.set'> = { objectId, classId };
    if (seconds !== undefined) input.seconds = Math.min(86_400, Math.max(0, seconds));
    const sent = performance.now();
    const result = await this.request('label.set', input);
    this.lastLabelRequestMs = performance.now() - sent;
    // A newer label of the same object, still in flight, stays pending.
    if (this.pending[objectId] === classId) delete this.pending[objectId];
    if (!result) return false;
    // The reply comes before the engine's labels.changed (ahunt serve sends events after the
    // reply), which then finds nothing left to change.
    this.applyLabels({ labels: [{ objectId, labelId: classId }], classes: result.classes });
    return true;
  }

  /**
   * An object's uncertain flag changed (here or in another door): the cells that show it
   * follow, field by field as labels do, so only those cells re-render.
   */
  markUncertain(objectId: number, uncertain: boolean): void {
    for (const q of this.questionsOf(objectId))
      if (q.uncertain !== uncertain) q.uncertain = uncertain;
  }

  /** The batch's and the round's questions about one object (an object can be in both). */
  private questionsOf(objectId: number): QuestionView[] {
    const shown = [...(this.batch?.questions ?? []), ...(this.state?.questions ?? [])];
    return shown.filter((q) => q.objectId === objectId);
  }

  /**
   * Applies labels changed by this page or another door: the questions concerned, the
   * class counts and the labelled total. Changes the state in place, field by field, so a
   * label re-renders what shows that object, those counts and that total, not every cell and
   * panel that reads the state; the echo of this page's own label changes nothing.
   */
  applyLabels(change: Pick<LabelsChanged, 'labels' | 'classes'> & { labelled?: number }): void {
    const state = this.state;
    if (!state) return;
    for (const { objectId, labelId } of change.labels) {
      for (const q of this.questionsOf(objectId)) if (q.labelId !== labelId) q.labelId = labelId;
    }
    if (!sameClassList(state.classes, change.classes)) state.classes = change.classes;
    else state.classes.forEach((c, i) => assignChanged(c, change.classes[i]!));
    if (change.labelled !== undefined && change.labelled !== state.project.labelled) {
      state.project.labelled = change.labelled;
    }
  }

  /** Labels with the class that owns `hotkey`; reports a sentence when no class has it. */
  async labelWithHotkey(hotkey: string, seconds?: number): Promise<boolean> {
    const target = this.classes.find((c) => c.hotkey === hotkey);
    if (!target) {
      this.report({
        code: 'no-such-hotkey',
        message: `No class has hotkey ${hotkey}. Press n to create a class, or assign the hotkey in the sidebar.`,
      });
      return false;
    }
    return this.labelFocused(target.id, seconds);
  }

  /** Labels as the first normal class, creating one called "normal" if the project has none. */
  async labelNormal(seconds?: number): Promise<boolean> {
    let normal = this.classes.find((c) => c.kind === 'normal');
    if (!normal) {
      const created = await this.request('class.create', { name: 'normal', kind: 'normal' });
      if (!created) return false;
      this.setClasses([...this.classes, created]);
      normal = created;
    }
    return this.labelFocused(normal.id, seconds);
  }

  /**
   * Creates an anomaly class and labels the focused object with it; with `hotkey`, the class
   * gets that digit (the one the expert pressed when no class had it).
   */
  async createClassAndLabel(name: string, hotkey: string | null = null): Promise<boolean> {
    const trimmed = name.trim();
    if (!trimmed) return false;
    const created = await this.request('class.create', {
      name: trimmed,
      kind: 'anomaly',
      ...(hotkey !== null ? { hotkey } : {}),
    });
    if (!created) return false;
    this.setClasses([...this.classes.filter((c) => c.id !== created.id), created]);
    return this.labelFocused(created.id);
  }

  skip(): void {
    const question = this.focused;
    if (!question) return;
    if (!this.isSettled(question)) this.skipped = [...this.skipped, question.objectId];
    const next = this.nextUnlabelled(this.focusIndex);
    if (next !== null) this.focusIndex = next;
    else this.move('right');
  }

  /** Undoes the latest label; the engine says which object it was and its label now. */
  async undo(): Promise<boolean> {
    const result = await this.request('label.undo', {});
    if (!result || result.objectId === null) return false;
    this.applyLabels({
      labels: [{ objectId: result.objectId, labelId: result.labelId }],
      classes: result.classes,
    });
    this.focusObject(result.objectId);
    return true;
  }

  async startRound(): Promise<boolean> {
    const state = await this.request('round.start', {});
    if (state) this.applyState(state);
    return state !== null;
  }

  /** Finishes the round: the engine trains and then pushes the next batch (session.changed). */
  async finishRound(): Promise<boolean> {
    if (this.finishing) return false;
    this.finishing = true;
    try {
      const result = await this.request('round.finish', {});
      return result?.started ?? false;
    } finally {
      this.finishing = false;
    }
  }

  async cancelTraining(): Promise<void> {
    await this.request('round.cancelTraining', {});
  }

  async renameClass(id: number, name: string): Promise<void> {
    const classes = await this.request('class.rename', { id, name });
    if (classes) this.setClasses(classes);
  }

  async mergeClass(from: number, into: number): Promise<void> {
    const classes = await this.request('class.merge', { from, into });
    if (!classes) return;
    this.setClasses(classes);
    // Labels of the merged class now belong to the other one.
    const fresh = await this.request('session.state', {});
    if (fresh) this.applyState(fresh);
  }

  async recolourClass(id: number, colour: string): Promise<void> {
    const classes = await this.request('class.recolour', { id, colour });
    if (classes) this.setClasses(classes);
  }

  async setInterest(id: number, interest: number): Promise<void> {
    const classes = await this.request('class.interest', { id, interest });
    if (classes) this.setClasses(classes);
  }

  async setHotkey(id: number, hotkey: string | null): Promise<void> {
    const classes = await this.request('class.hotkey', { id, hotkey });
    if (classes) this.setClasses(classes);
  }

  private setClasses(classes: ClassView[]): void {
    if (this.state) this.state = { ...this.state, classes };
  }
}

/** The same classes (ids, in order, with the same fields): their values can change in place. */
function sameClassList(current: ClassView[], next: ClassView[]): boolean {
  return (
    current.length === next.length &&
    current.every(
      (c, i) => c.id === next[i]!.id && Object.keys(c).join() === Object.keys(next[i]!).join(),
    )
  );
}

/** Copies the fields that differ (writing an equal value would still wake its readers). */
function assignChanged<T extends object>(target: T, source: T): void {
  for (const key of Object.keys(source) as (keyof T)[]) {
    if (target[key] !== source[key]) target[key] = source[key];
  }
}

/** Questions with the labels a change gives them (unchanged questions kept as they are). */
function relabel(questions: QuestionView[], change: Pick<LabelsChanged, 'labels'>): QuestionView[] {
  if (change.labels.length === 0) return questions;
  return questions.map((q) => {
    const labelId = change.labels.find((l) => l.objectId === q.objectId)?.labelId;
    return labelId === undefined || labelId === q.labelId ? q : { ...q, labelId };
  });
}

/** A batch's questions with the labels a fresh round state knows for the same objects. */
function withLabels(questions: QuestionView[], fresh: QuestionView[]): QuestionView[] {
  return relabel(questions, {
    labels: fresh.map((q) => ({ objectId: q.objectId, labelId: q.labelId })),
  });
}
