import type { SimilarObjects } from '../../contract/contract';
import { currentAnnotation } from '../store/annotations';
import { currentLabel } from '../store/labels';
import { latestTrainedModel } from '../store/models';
import type { Db } from '../store/open';
import { ProjectError } from '../store/errors';
import { nearest, readLatentIndex, vectorOf, type LatentIndex } from './latent-index';

/**
 * "More like this": an object's nearest neighbours in the latest model's latent space. The
 * vectors are the ones the round wrote (every object's up to LATENT_SAMPLE, an even sample
 * beyond); they are read once per model into memory and searched by brute force.
 */
export class SimilarSearch {
  private index: LatentIndex | null = null;
  /** A read of the store in progress, and which model's vectors it reads. */
  private loading: { modelId: number; promise: Promise<LatentIndex> } | null = null;
  /** Bumped whenever the vectors change under a read, so a stale read is not kept. */
  private generation = 0;

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
    this.loading = null;
    this.generation++;
  }

  /** Takes the vectors a round just kept (and wrote), so the next query reads nothing. */
  adopt(index: LatentIndex): void {
    this.index = index;
    this.loading = null;
    this.generation++;
  }

  /**
   * Starts reading the latest model's vectors in the background (a reopened project whose
   * round waits for the expert), so the first "more like this" does not wait for the read.
   */
  warmSoon(): void {
    const model = latestTrainedModel(this.db);
    if (model && !this.index) this.load(model.id).catch(() => {}); // a closed project: nothing to warm
  }

  private load(modelId: number): Promise<LatentIndex> {
    if (this.index?.modelId === modelId) return Promise.resolve(this.index);
    if (this.loading?.modelId === modelId) return this.loading.promise;
    const generation = this.generation;
    const promise = readLatentIndex(this.db, modelId).then((index) => {
      if (this.generation === generation) {
        this.index = index;
        this.loading = null;
      }
      return index;
    });
    this.loading = { modelId, promise };
    return promise;
  }

  async similar(objectId: number, k: number): Promise<SimilarObjects> {
    const model = latestTrainedModel(this.db);
    if (!model) {
      throw new ProjectError(
        'invalid',
        'There is no model yet to compare objects with: finish a round first.',
      );
    }
    const index = await this.load(model.id);
    const query = vectorOf(index, objectId) ?? (await this.computeVector(objectId));
    const found = index.count > 0 ? nearest(index, query, k, objectId) : [];
    return {
      objectId,
      items: found.map((n) => ({
        ...n,
        labelId: currentLabel(this.db, n.objectId) ?? null,
        uncertain: currentAnnotation(this.db, n.objectId).uncertain,
      })),
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
