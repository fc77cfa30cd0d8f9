import { objectShapes } from '../store/objects';
import type { Db } from '../store/open';
import type { ImageShape } from '../store/image-batches';

export type { ImageShape };

type CountedShape = { size: number; bands: number; n?: number };

/**
 * The cutout shape the model sees, or null for an empty project. Every object must have the
 * same side; band counts may differ only as one-band (grey) cutouts beside cutouts of B
 * bands, and then the model sees B bands with a grey cutout repeated in each (how image
 * models take grey pictures; see store/image-batches.ts). Any other mix is refused with what
 * to do about it.
 */
export function projectImageShape(db: Db): ImageShape | null {
  const shapes = objectShapes(db);
  if (shapes.length === 0) return null;
  const problem = shapeProblem(shapes);
  if (problem) throw Object.assign(new Error(problem), { userFacing: true, code: 'mixed-shapes' });
  return modelShape(shapes);
}

/** The side all shapes share and the most bands any has (grey cutouts are repeated per band). */
function modelShape(shapes: readonly CountedShape[]): ImageShape {
  return { size: shapes[0]!.size, bands: Math.max(...shapes.map((s) => s.bands)) };
}

/**
 * The shape to prepare the compute route for (the GPU probe times batches of it), or undefined
 * when there is none yet or the project mixes shapes: such a project must still open, so that
 * the window can say what is wrong and how to fix it; a round then refuses with that sentence.
 */
export function routeShape(db: Db): ImageShape | undefined {
  const shapes = objectShapes(db);
  return shapes.length === 0 || shapeProblem(shapes) ? undefined : modelShape(shapes);
}

/** Why these shapes cannot be hunted together, with the fix; null when they can. */
export function shapeProblem(shapes: readonly CountedShape[]): string | null {
  if (shapes.length <= 1) return null;
  const list = shapes.map((s) => `${s.n ?? '?'} of ${s.size}×${s.size}×${s.bands}`).join(', ');
  if (new Set(shapes.map((s) => s.size)).size > 1) {
    return `This project mixes cutout sizes (${list}): the model compares cutouts of one size. Ingest again into a new project with one --size for every file.`;
  }
  const colour = new Set(shapes.map((s) => s.bands).filter((b) => b > 1));
  if (colour.size > 1) {
    return `This project mixes band sets (${list}): the model compares cutouts of one set of bands. Ingest each set of bands into a project of its own.`;
  }
  return null;
}
