/**
 * The scoring side of a page request: a read-only connection of the thread's own (kept open
 * across pages, so 10^6 objects cost one open), the page's pixels read and decoded here, then
 * scored. Used by the worker replicas and by the in-process runner alike.
 */
import type { Db } from '../../store/open';
import { openPageConnection, readUnlabelledPage } from '../../store/score-pages';
import type { ImageBatch, ScoreResult } from '../types';
import type { PageRequest, ScoredPage } from './protocol';

export class PageReader {
  private db: Db | null = null;
  private file: string | null = null;

  async score(
    page: PageRequest,
    scoreImages: (images: ImageBatch) => Promise<ScoreResult>,
  ): Promise<ScoredPage> {
    const { ids, images } = readUnlabelledPage(this.connection(page.file), page.from, page.to, {
      size: page.size,
      bands: page.bands,
    });
    if (ids.length === 0) {
      // A range whose objects are all labelled (or deleted): nothing to run the model on.
      return {
        ids,
        probs: new Float32Array(0),
        latent: new Float32Array(0),
        classes: 0,
        latentSize: 0,
      };
    }
    return { ids, ...(await scoreImages(images)) };
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.file = null;
  }

  private connection(file: string): Db {
    if (this.db && this.file === file) return this.db;
    this.close();
    this.db = openPageConnection(file);
    this.file = file;
    return this.db;
  }
}
