/**
 * A project's objects as a warm start's source: the ids travel to the thread that trains, and
 * that thread reads each batch's pixels on its own read-only connection, so the project is
 * never whole in memory, nor in the tensor backend's heap.
 */
import { loadImages } from '../../store/image-batches';
import type { Db } from '../../store/open';
import { openPageConnection } from '../../store/score-pages';
import type { UnlabelledSource } from '../contrastive';

/** Which objects of which project file, at the model's cutout shape. */
export interface ProjectObjects {
  file: string;
  ids: Int32Array;
  size: number;
  bands: number;
}

export function projectObjectSource(objects: ProjectObjects): UnlabelledSource & {
  close(): void;
} {
  let db: Db | null = null;
  const shape = { size: objects.size, bands: objects.bands };
  return {
    count: objects.ids.length,
    ...shape,
    read(indices, into) {
      db ??= openPageConnection(objects.file);
      const batch = loadImages(
        db,
        indices.map((i) => objects.ids[i]!),
        shape,
      );
      into.set(batch.data);
    },
    close() {
      db?.close();
      db = null;
    },
  };
}
