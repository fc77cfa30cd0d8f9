import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { OriginalImage } from '../../contract/contract';
import { ProjectError } from '../store/errors';
import type { Db } from '../store/open';
import { getObject } from '../store/objects';
import { isFitsPath, readFrameRegion } from './frame-region';

/** Larger originals are not sent to the window (a JPEG/PNG cutout is tens of KB). */
export const ORIGINAL_MAX_BYTES = 16 * 1024 * 1024;

const imageTypes: Record<string, 'image/jpeg' | 'image/png'> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

/**
 * The file an object was ingested from, as the expert should see it: a JPEG/PNG cutout's own
 * bytes at their native resolution, a FITS object's neighbourhood in its parent frame (the
 * model trains on the stored, resized tensor). Other sources say why there is no original to
 * show, and the preview shows the tensor.
 */
export async function originalImage(db: Db, id: number): Promise<OriginalImage> {
  const object = getObject(db, id);
  if (!object) throw new ProjectError('not-found', `There is no object ${id} in this project.`);
  if (isFitsPath(object.source_path)) {
    try {
      return await readFrameRegion(object);
    } catch (error) {
      return {
        kind: 'none',
        reason: `The frame ${object.source_path} cannot be read (${(error as Error).message}); the object is shown as stored.`,
      };
    }
  }
  const mime = imageTypes[extname(object.source_path).toLowerCase()];
  if (!mime) {
    return {
      kind: 'none',
      reason: 'Only JPEG, PNG and FITS originals are shown; this object is shown as stored.',
    };
  }
  let size: number;
  try {
    size = statSync(object.source_path).size;
  } catch {
    return {
      kind: 'none',
      reason: `The original file ${object.source_path} is gone (moved or on a disk not mounted).`,
    };
  }
  if (size > ORIGINAL_MAX_BYTES) {
    return { kind: 'none', reason: `The original file is ${Math.round(size / 2 ** 20)} MB.` };
  }
  const bytes = readFileSync(object.source_path);
  return {
    kind: 'image',
    mime,
    bytes: bytes.length,
    dataUrl: `data:${mime};base64,${bytes.toString('base64')}`,
  };
}
