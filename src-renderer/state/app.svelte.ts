/// <reference types="svelte" />
/**
 * The whole renderer state and the one keyboard action: every key press goes through
 * `handleKey`, which ignores typing in text fields and turns keys into actions.
 */
import type { AhuntApi } from '../../src-main/contract/contract';
import { PixelCache } from '../display/pixel-cache';
import { DisplayStore } from './display.svelte';
import { HistoryStore } from './history.svelte';
import { IngestStore } from './ingest.svelte';
import { InspectorStore } from './inspector.svelte';
import { allActions, KeymapStore, type Action } from './keymap.svelte';
import { isTypingTarget, type KeyLike } from './keys';
import { createMetrics, type Metrics } from './metrics';
import { SessionStore } from './session.svelte';
import { ExportStore } from './export.svelte';
import { ProjectsStore } from './projects.svelte';
import { ReviewStore } from './review.svelte';
import { SampStore } from './samp.svelte';
import { SettingsStore } from './settings.svelte';
import type { StorageLike } from './storage';
import { ToastStore } from './toasts.svelte';

export const views = ['round', 'history', 'ingest', 'export', 'settings', 'projects'] as const;
export type View = (typeof views)[number];

/** Actions about the round's grid and preview, which only the round view shows. */
const roundOnly = new Set<Action>([
  'label-1',
  'label-2',
  'label-3',
  'label-4',
  'label-5',
  'label-6',
  'label-7',
  'label-8',
  'label-9',
  'label-normal',
  'focus-left',
  'focus-right',
  'focus-up',
  'focus-down',
  'finish-round',
  'new-class',
  'skip',
  'toggle-zoom',
  'preview-zoom-in',
  'preview-zoom-out',
  'preview-pan-left',
  'preview-pan-right',
  'preview-pan-up',
  'preview-pan-down',
  'samp-send-class',
  'samp-send-cutout',
  'samp-send-frame',
  'samp-point',
  'toggle-uncertain',
  'edit-note',
  'more-like-this',
  'batch-next-page',
  'batch-prev-page',
  'batch-close',
]);

export interface AppOptions {
  storage: StorageLike;
  /** Resolves after the DOM reflects the state (Svelte's tick); a no-op in unit tests. */
  afterRender?: () => Promise<void>;
  /** Resolves when the next frame starts rendering (requestAnimationFrame); a no-op in unit tests. */
  nextFrame?: () => Promise<void>;
  now?: () => number;
  /** Delay before the preview asks for an object's details (see InspectorStore). */
  inspectorSettleMs?: number;
}

export class AppState {
  view = $state<View>('round');
  helpOpen = $state(false);
  /** The inline "new class" field is open. */
  naming = $state(false);
  /** The digit the class being named will own (an unassigned digit was pressed), if any. */
  namingHotkey = $state<string | null>(null);
  /**
   * Finish-round was pressed with questions unanswered: the round view asks once; the same
   * key again finishes, Escape (or any other action) goes back to the batch.
   */
  confirmingFinish = $state(false);
  readonly toasts = new ToastStore();
  readonly session: SessionStore;
  readonly display: DisplayStore;
  readonly keymap: KeymapStore;
  readonly history: HistoryStore;
  readonly ingest: IngestStore;
  readonly settings: SettingsStore;
  readonly exports: ExportStore;
  readonly projects: ProjectsStore;
  readonly inspector: InspectorStore;
  readonly samp: SampStore;
  readonly review: ReviewStore;
  readonly pixels: PixelCache;
  readonly metrics: Metrics = createMetrics();
  private readonly afterRender: () => Promise<void>;
  private readonly nextFrame: () => Promise<void>;
  private readonly now: () => number;
  /** When the focused object was first shown: the label's "seconds spent" for the engine. */
  private focusedSince = 0;

  constructor(
    readonly api: AhuntApi,
    options: AppOptions,
  ) {
    const report = (error: { code: string; message: string }) => this.toasts.push(error);
    this.session = new SessionStore(api, report);
    this.display = new DisplayStore(options.storage);
    this.keymap = new KeymapStore(options.storage);
    this.history = new HistoryStore(api, report);
    this.ingest = new IngestStore(api, report);
    this.settings = new SettingsStore(api, report);
    this.exports = new ExportStore(api, report);
    this.projects = new ProjectsStore(api, report);
    this.inspector = new InspectorStore(api, report, options.inspectorSettleMs ?? 0);
    this.review = new ReviewStore(api, this.session, this.inspector, report);
    this.samp = new SampStore(api, {
      focus: (id) => this.session.focusObject(id),
      report,
      select: (title, ids) => {
        this.show('round');
        void this.review.showObjects(title, ids);
      },
    });
    this.pixels = new PixelCache((ids) => api.pixels(ids));
    this.afterRender = options.afterRender ?? (() => Promise.resolve());
    this.nextFrame = options.nextFrame ?? (() => Promise.resolve());
    this.now = options.now ?? (() => performance.now());
  }

  async start(): Promise<() => void> {
    const offs = [
      this.session.subscribe(),
      this.ingest.subscribe(),
      this.api.on('project.changed', () => void this.projectChanged()),
      this.samp.subscribe(),
      this.review.subscribe(),
      // The desktop menu's items run the same actions as their keys.
      this.api.on('window.action', ({ action }) => {
        if ((allActions as string[]).includes(action)) void this.run(action as Action);
      }),
    ];
    await Promise.all([this.session.load(), this.settings.load(), this.samp.load()]);
    return () => offs.forEach((off) => off());
  }

  /**
   * Another project is open (from the Projects view, the desktop menu or another tab): every
   * store forgets the old one and fetches the new one. A project with nothing in it yet opens
   * on the Ingest view, where its first data goes in.
   */
  async projectChanged(): Promise<void> {
    this.naming = false;
    this.pixels.clear();
    this.session.reset();
    this.history.reset();
    this.inspector.reset();
    this.ingest.reset();
    this.exports.reset();
    this.samp.reset();
    this.review.reset();
    await Promise.all([
      this.session.load(),
      this.settings.load(),
      this.projects.followSwitch(),
      this.samp.load(),
    ]);
    this.show(this.session.state?.project.objects === 0 ? 'ingest' : 'round');
  }

  /** Called by the view when the focus moved, so the time spent per object can be sent. */
  markFocus(): void {
    this.focusedSince = this.now();
  }

  /** The one keyboard handler. Returns true when the key was used (the caller prevents default). */
  handleKey(event: KeyLike & { timeStamp?: number }): boolean {
    if (this.keymap.record(event)) return true;
    if (this.naming) return false;
    if (this.review.awaitingClass && !isTypingTarget(event.target)) {
      // The key after the gallery key names the class by its digit; any other key cancels.
      if (/^[0-9]$/.test(event.key)) void this.review.openGalleryByKey(event.key);
      this.review.awaitingClass = false;
      return true;
    }
    if (event.key === 'Escape' && !this.helpOpen && !isTypingTarget(event.target)) {
      if (this.confirmingFinish) {
        this.confirmingFinish = false;
        return true;
      }
      if (this.toasts.dismissCurrent()) return true;
    }
    const action = this.keymap.actionFor(event);
    if (action === null) return false;
    if (action !== 'finish-round') this.confirmingFinish = false;
    // Elsewhere these keys keep their usual meaning: Enter presses a button, arrows scroll.
    if (this.view !== 'round' && roundOnly.has(action)) return false;
    // Esc with no batch to leave keeps its usual meaning.
    if (action === 'batch-close' && !this.session.batch && !this.review.searching) return false;
    if (this.helpOpen && action !== 'help') {
      if (event.key === 'Escape') this.helpOpen = false;
      return false;
    }
    const started = event.timeStamp ?? this.now();
    void this.run(action, started);
    return true;
  }

  /**
   * Runs one action; label actions record keypress → label applied time. Only handleKey
   * calls it, after dropping round actions outside the round view.
   */
  private async run(action: Action, startedAt = this.now()): Promise<void> {
    const label = /^label-(\d)$/.exec(action);
    if (label || action === 'label-normal') {
      if (!this.session.focused) return;
      if (label && !this.session.classes.some((c) => c.hotkey === label[1])) {
        // No class on this digit yet: offer to make one on it, for the focused object.
        this.namingHotkey = label[1]!;
        this.naming = true;
        return;
      }
      const seconds = this.focusedSince ? (this.now() - this.focusedSince) / 1000 : undefined;
      const objectId = this.session.focused.objectId;
      // The session shows the label (pending) before label.set leaves, so the page draws it
      // while the engine stores it; both are timed from the key.
      const stored = label
        ? this.session.labelWithHotkey(label[1]!, seconds)
        : this.session.labelNormal(seconds);
      void this.timeShown(objectId, startedAt);
      const ok = await stored;
      if (ok) {
        this.metrics.labelPersistedMs.push(this.now() - startedAt);
        await this.afterRender();
        this.metrics.labelMs.push(this.now() - startedAt);
        this.metrics.labelRequestMs.push(this.session.lastLabelRequestMs);
      }
      return;
    }
    switch (action) {
      case 'focus-left':
      case 'focus-right':
      case 'focus-up':
      case 'focus-down':
        this.session.move(action.slice(6) as 'left' | 'right' | 'up' | 'down');
        return;
      case 'finish-round':
        if (this.session.batch) {
          this.toasts.notice(
            'batch',
            'This grid is not the round: press Esc to go back to it, then finish the round.',
          );
          return;
        }
        // With no round yet (a fresh project), Enter starts the first one.
        if (this.session.state && !this.session.state.round) {
          await this.session.startRound();
          return;
        }
        if (
          this.session.state?.round?.phase === 'asking' &&
          this.session.unanswered > 0 &&
          !this.confirmingFinish
        ) {
          this.confirmingFinish = true;
          return;
        }
        this.confirmingFinish = false;
        await this.session.finishRound();
        return;
      case 'undo':
        await this.session.undo();
        return;
      case 'new-class':
        if (this.session.focused) {
          this.namingHotkey = null;
          this.naming = true;
        }
        return;
      case 'skip':
        this.session.skip();
        return;
      case 'toggle-zoom':
        this.inspector.toggleZoom();
        return;
      case 'preview-zoom-in':
      case 'preview-zoom-out':
        this.inspector.zoomFrame(action === 'preview-zoom-in' ? 1.5 : 1 / 1.5);
        return;
      case 'preview-pan-left':
      case 'preview-pan-right':
      case 'preview-pan-up':
      case 'preview-pan-down': {
        // The view moves the way the key points: the image slides the other way.
        const step = 0.125;
        const moves: Record<string, [number, number]> = {
          'preview-pan-left': [1, 0],
          'preview-pan-right': [-1, 0],
          'preview-pan-up': [0, 1],
          'preview-pan-down': [0, -1],
        };
        const [dx, dy] = moves[action]!;
        this.inspector.panFrame(dx * step, dy * step);
        return;
      }
      case 'stretch-prev':
        this.display.cycleStretch(-1);
        return;
      case 'stretch-next':
        this.display.cycleStretch(1);
        return;
      case 'limits-next':
        this.display.cycleLimits();
        return;
      case 'colormap-next':
        this.display.cycleColormap();
        return;
      case 'lock-scale':
        this.display.toggleLockScale();
        return;
      case 'bias-down':
      case 'bias-up':
        this.display.nudge('bias', action === 'bias-up' ? 1 : -1);
        return;
      case 'contrast-down':
      case 'contrast-up':
        this.display.nudge('contrast', action === 'contrast-up' ? 1 : -1);
        return;
      case 'toggle-original':
        this.inspector.toggleOriginal();
        return;
      case 'blink-band':
        this.inspector.nextBand(this.inspector.object?.bands ?? 1);
        return;
      case 'auto-advance':
        this.session.autoAdvance = !this.session.autoAdvance;
        return;
      case 'view-round':
      case 'view-history':
      case 'view-ingest':
      case 'view-export':
      case 'view-settings':
      case 'view-projects':
        this.show(action.slice(5) as View);
        return;
      case 'samp-send-catalogue':
      case 'samp-send-class':
      case 'samp-send-cutout':
      case 'samp-send-frame':
      case 'samp-point':
        await this.sendOverSamp(action);
        return;
      case 'gallery':
        this.show('round');
        this.review.awaitingClass = true;
        return;
      case 'search':
        this.show('round');
        this.review.searching = true;
        return;
      case 'toggle-uncertain':
        await this.review.toggleUncertain();
        return;
      case 'edit-note':
        if (this.session.focused) this.review.noteRequested++;
        return;
      case 'more-like-this':
        if (this.session.focused) await this.review.moreLike(this.session.focused.objectId);
        return;
      case 'batch-next-page':
      case 'batch-prev-page':
        await this.review.page(action === 'batch-next-page' ? 1 : -1);
        return;
      case 'batch-close':
        if (!this.review.close()) this.review.searching = false;
        return;
      case 'help':
        this.helpOpen = !this.helpOpen;
        if (!this.helpOpen) this.keymap.recording = null;
        return;
    }
  }

  /**
   * Keydown → the label in the DOM, and → the frame that paints it. Not timed when the label
   * waited for something else first (a "normal" class created on the first 0 of a project).
   */
  private async timeShown(objectId: number, startedAt: number): Promise<void> {
    if (!(objectId in this.session.pending)) return;
    await this.afterRender();
    this.metrics.labelShownMs.push(this.now() - startedAt);
    await this.nextFrame();
    this.metrics.labelFrameMs.push(this.now() - startedAt);
  }

  /** A SAMP key: what to send follows from the focused object (the catalogue needs none). */
  private async sendOverSamp(action: Action): Promise<void> {
    if (action === 'samp-send-catalogue') {
      await this.samp.send({ what: 'catalogue' });
      return;
    }
    const focused = this.session.focused;
    if (!focused) return;
    if (action === 'samp-send-class') {
      if (focused.labelId === null) {
        this.toasts.push({
          code: 'samp',
          message: 'Label the object first: its class is what T sends to TOPCAT.',
        });
        return;
      }
      await this.samp.send({ what: 'class', classId: focused.labelId });
      return;
    }
    const what =
      action === 'samp-send-cutout' ? 'cutout' : action === 'samp-send-frame' ? 'frame' : 'point';
    await this.samp.send({ what, objectId: focused.objectId });
  }

  show(view: View): void {
    this.view = view;
    if (view === 'history') {
      void this.history.load();
      void this.history.loadLatent();
    }
    if (view === 'projects') void this.projects.load();
  }

  /** The inline field's answer: create the class, label the focused object with it. */
  async submitNewClass(name: string): Promise<boolean> {
    this.naming = false;
    const hotkey = this.namingHotkey;
    this.namingHotkey = null;
    return this.session.createClassAndLabel(name, hotkey);
  }

  cancelNewClass(): void {
    this.naming = false;
    this.namingHotkey = null;
  }
}
