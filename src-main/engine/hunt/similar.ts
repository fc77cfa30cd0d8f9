import type { SimilarObjects } from '../../contract/contract';
import { currentLabel } from '../store/labels';
import { latestModel } from '../store/models';
import type { Db } from '../store/open';
import { ProjectError } from '../store/errors';
import { loadLatentIndex, nearest, vectorOf, type LatentIndex } from './latent-index';

/**
 * "More like this": an object's nearest neighbours in the latest model's latent space. The
 * vectors are the ones the round wrote (every object's up to LATENT_SAMPLE, an even sample
 * beyond); they are read once per model into memory and searched by brute force.
 */
export class SimilarSearch {
  private index: LatentIndex | null = null;

  constructor(
    private readonly db: Db,
    /** The object count now, to tell whether the index holds every object (exact). */
    private readonly objectCount: () => number,
    /** The latest model's latent vector of an object the index lacks (the model is run). */
    private readonly computeVector: (objectId: number) => Promise<Float32Array>,
  ) {}

  /** Forgets the vectors read so far: a round is writing new ones. */
  invalidate(): void {
    this.index = null;
  }

  /** Takes the vectors a round just kept (and wrote), so the next query reads nothing. */
  adopt(index: LatentIndex): void {
    this.index = index;
  }

  async similar(objectId: number, k: number): Promise<SimilarObjects> {
    const model = latestModel(this.db);
    if (!model) {
      throw new ProjectError(
        'invalid',
        'There is no model yet to compare objects with: finish a round first.',
      );
    }
    if (this.index?.modelId !== model.id) this.index = loadLatentIndex(this.db, model.id);
    const index = this.index;
    const query = vectorOf(index, objectId) ?? (await this.computeVector(objectId));
    const found = index.count > 0 ? nearest(index, query, k, objectId) : [];
    return {
      objectId,
      items: found.map((n) => ({ ...n, labelId: currentLabel(this.db, n.objectId) ?? null })),
      searched: index.count,
      exact: index.count >= this.objectCount(),
      modelId: model.id,
    };
  }

  /** The index in memory, for the benchmark's figures. */
  get loaded(): LatentIndex | null {
    return this.index;
  }
}
