import { objectShapes } from '../store/objects';
import type { Db } from '../store/open';
import type { ImageShape } from '../store/image-batches';

export type { ImageShape };

/** The cutout shape of a project: every object must share it for one model to see them all. */
export function projectImageShape(db: Db): ImageShape | null {
  const shapes = objectShapes(db);
  if (shapes.length === 0) return null;
  if (shapes.length > 1) {
    const list = shapes.map((s) => `${s.n ?? '?'} of ${s.size}×${s.size}×${s.bands}`).join(', ');
    throw Object.assign(
      new Error(
        `This project mixes cutout shapes (${list}); re-ingest with one --size so the model can compare them.`,
      ),
      { userFacing: true },
    );
  }
  return { size: shapes[0]!.size, bands: shapes[0]!.bands };
}
