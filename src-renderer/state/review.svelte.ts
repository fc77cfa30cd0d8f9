/// <reference types="svelte" />
/**
 * Review and correct: batches that are not the round — a class's gallery (newest label
 * first), a search over reviewed objects, a selection from TOPCAT — shown in the round's grid
 * with the same keys; and the focused object's note and "uncertain" flag.
 */
import type {
  AhuntApi,
  AnnotationView,
  ApiError,
  QuestionView,
} from '../../src-main/contract/contract';
import type { InspectorStore } from './inspector.svelte';
import { makeRequester, type Requester } from './requester';
import type { SessionStore } from './session.svelte';

/** Objects per page of a batch: what the grid shows at once. */
export const BATCH_PAGE = 64;

/** What a batch was made from, so its pages can be fetched again. */
export type BatchSource =
  | { kind: 'gallery'; classId: number }
  | { kind: 'search'; text: string; uncertain: boolean }
  | { kind: 'objects'; title: string; objectIds: number[] };

export class ReviewStore {
  /** The search box is open (`/`). */
  searching = $state(false);
  searchText = $state('');
  uncertainOnly = $state(false);
  /** The gallery key was pressed: the next digit names the class. */
  awaitingClass = $state(false);
  /** Ask the note field to take the keyboard (the details pane watches this). */
  noteRequested = $state(0);
  private source: BatchSource | null = null;
  private readonly request: Requester;

  constructor(
    private readonly api: AhuntApi,
    private readonly session: SessionStore,
    private readonly inspector: InspectorStore,
    private readonly report: (error: ApiError) => void,
  ) {
    this.request = makeRequester(api, report);
  }

  subscribe(): () => void {
    return this.api.on('annotation.changed', (a) => this.applyAnnotation(a));
  }

  reset(): void {
    this.source = null;
    this.searching = false;
    this.awaitingClass = false;
  }

  /** The gallery of the class on a digit key; a sentence when no class has it. */
  async openGalleryByKey(hotkey: string): Promise<boolean> {
    this.awaitingClass = false;
    const cls = this.session.classes.find((c) => c.hotkey === hotkey);
    if (!cls) {
      this.report({ code: 'no-such-hotkey', message: `No class has key ${hotkey}; no gallery.` });
      return false;
    }
    return this.openGallery(cls.id);
  }

  openGallery(classId: number): Promise<boolean> {
    return this.load({ kind: 'gallery', classId }, 0);
  }

  async search(): Promise<boolean> {
    this.searching = false;
    return this.load(
      { kind: 'search', text: this.searchText.trim(), uncertain: this.uncertainOnly },
      0,
    );
  }

  /** A list of objects (a TOPCAT selection, neighbours): shown in the order given. */
  showObjects(title: string, objectIds: number[]): Promise<boolean> {
    return this.load({ kind: 'objects', title, objectIds }, 0);
  }

  /**
   * More like this: the object and its nearest neighbours in the current latent space,
   * nearest first, as a batch to label.
   */
  async moreLike(objectId: number): Promise<boolean> {
    const similar = await this.request('objects.similar', { id: objectId, k: BATCH_PAGE - 1 });
    if (!similar) return false;
    const how = similar.exact
      ? `exact, ${similar.searched} objects compared`
      : `a sample of ${similar.searched} objects`;
    const title = `More like object ${objectId} (${how})`;
    const questions = [
      question(
        0,
        objectId,
        this.session.focused?.labelId ?? null,
        this.session.focused?.uncertain ?? false,
      ),
      ...similar.items.map((item, i) =>
        question(i + 1, item.objectId, item.labelId, item.uncertain),
      ),
    ];
    const ids = questions.map((q) => q.objectId);
    return this.show({ kind: 'objects', title, objectIds: ids }, title, questions, ids.length, 0);
  }

  /** The next or previous page of the batch shown. */
  async page(step: 1 | -1): Promise<boolean> {
    const batch = this.session.batch;
    if (!batch || !this.source) return false;
    const offset = batch.offset + step * BATCH_PAGE;
    if (offset < 0 || offset >= batch.total) return false;
    return this.load(this.source, offset);
  }

  close(): boolean {
    this.source = null;
    return this.session.closeBatch();
  }

  private async load(source: BatchSource, offset: number): Promise<boolean> {
    if (source.kind === 'objects') {
      // Each object's label; one that is gone (a stale selection) is left out, not a toast each.
      const ids = source.objectIds.slice(offset, offset + BATCH_PAGE);
      const answers = await Promise.all(
        ids.map((id) => this.api.call('object.get', { id }).catch(() => null)),
      );
      const questions: QuestionView[] = [];
      answers.forEach((answer, i) => {
        if (answer?.ok)
          questions.push(
            question(offset + i, ids[i]!, answer.value.labelId, answer.value.uncertain),
          );
      });
      if (questions.length === 0) {
        this.report({
          code: 'batch',
          message: `${source.title}: none of these objects is in this project.`,
        });
        return false;
      }
      return this.show(source, source.title, questions, source.objectIds.length, offset);
    }
    const found = await this.request('objects.find', {
      ...(source.kind === 'gallery' ? { classId: source.classId } : {}),
      ...(source.kind === 'search' && source.text ? { text: source.text } : {}),
      ...(source.kind === 'search' && source.uncertain ? { uncertain: true } : {}),
      offset,
      limit: BATCH_PAGE,
    });
    if (!found) return false;
    const questions = found.items.map((item, i) =>
      question(i + offset, item.objectId, item.labelId, item.uncertain),
    );
    return this.show(source, this.titleOf(source), questions, found.total, offset);
  }

  private show(
    source: BatchSource,
    title: string,
    questions: QuestionView[],
    total: number,
    offset: number,
  ): boolean {
    this.source = source;
    this.session.showBatch({ title, questions, total, offset });
    return true;
  }

  private titleOf(source: BatchSource): string {
    if (source.kind === 'gallery') {
      const name = this.session.classById(source.classId)?.name ?? `class ${source.classId}`;
      return `Gallery: ${name}, newest label first`;
    }
    if (source.kind === 'search') {
      const what = source.text ? `“${source.text}”` : 'every reviewed object';
      return `Search: ${what}${source.uncertain ? ', uncertain only' : ''}`;
    }
    return source.title;
  }

  /** Flips the focused object's uncertain flag. */
  async toggleUncertain(): Promise<boolean> {
    const id = this.session.focused?.objectId;
    if (id === undefined) return false;
    const now = this.inspector.object?.id === id ? this.inspector.object.uncertain : false;
    return this.annotate(id, { uncertain: !now });
  }

  async annotate(id: number, change: { note?: string; uncertain?: boolean }): Promise<boolean> {
    const result = await this.request('object.annotate', { id, ...change });
    if (result) this.applyAnnotation(result);
    return result !== null;
  }

  /** A note or flag changed here or in another window: the details pane shows it. */
  private applyAnnotation(a: AnnotationView): void {
    this.session.markUncertain(a.objectId, a.uncertain);
    const object = this.inspector.object;
    if (object?.id === a.objectId && (object.note !== a.note || object.uncertain !== a.uncertain)) {
      this.inspector.object = { ...object, note: a.note, uncertain: a.uncertain };
    }
  }
}

/** A batch's cell: nobody asked for it, so it has no class asked for, score or reason. */
function question(
  rank: number,
  objectId: number,
  labelId: number | null,
  uncertain: boolean,
): QuestionView {
  return { rank, objectId, askedFor: null, score: 0, why: '', labelId, uncertain };
}
