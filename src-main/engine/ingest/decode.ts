import { FitsError } from '../fits';
import { RejectedFile, reasonOf } from './errors';
import { decodeFitsUnit } from './fits-unit';
import { decodeImageUnit } from './image-unit';
import type { ChunkJob, ChunkResult, DecodeSettings, UnitOutcome } from './messages';
import { PixelSink } from './pixel-sink';

/**
 * Pixels one chunk may hold before its decoder ends it early: each chunk in flight holds
 * its pixels until written, and a chunk of 256 large frames could otherwise tile into
 * gigabytes. Cutouts never come near it (256 × 8 KB).
 */
export const MAX_CHUNK_PIXEL_BYTES = 64 * 1024 * 1024;

/**
 * Decodes one chunk of units, in order. The same function runs in worker threads and, for
 * small runs, on the calling thread. A bad file becomes a rejected outcome and never stops
 * the chunk. Once the chunk holds MAX_CHUNK_PIXEL_BYTES of pixels it ends after the unit
 * at hand: the result then has fewer outcomes than the job has units, and the rest is
 * another job (see pumpChunks).
 */
export async function decodeChunk(
  job: ChunkJob,
  settings: DecodeSettings,
  maxPixelBytes = MAX_CHUNK_PIXEL_BYTES,
): Promise<ChunkResult> {
  const sink = new PixelSink();
  const outcomes: UnitOutcome[] = [];
  for (const { index, unit } of job.units) {
    if (sink.byteLength >= maxPixelBytes) break;
    if (unit.problem) {
      outcomes.push({ index, objects: [], placedRows: [], rejected: unit.problem, stamps: null });
      continue;
    }
    try {
      const outcome =
        unit.files[0]!.kind === 'image'
          ? await decodeImageUnit(unit, index, settings.size, sink)
          : await decodeFitsUnit(unit, index, settings, sink);
      outcomes.push(outcome);
    } catch (error) {
      outcomes.push({
        index,
        objects: [],
        placedRows: [],
        rejected: rejectionReason(error, unit.files.length > 1),
        stamps: null,
      });
    }
  }
  return { id: job.id, outcomes, pixels: sink.finish() };
}

/**
 * The reason stored beside the file's path. FitsError messages start with the file name,
 * which is dropped for a single file and kept for a band set (it says which band failed).
 * Anything else is a decoder bug on an unusual file: that file is refused, the run goes on.
 */
function rejectionReason(error: unknown, bandSet: boolean): string {
  const message = reasonOf(error);
  if (error instanceof FitsError) {
    return !bandSet && message.startsWith(`${error.file}: `)
      ? message.slice(error.file.length + 2)
      : message;
  }
  if (error instanceof RejectedFile) return message;
  return `could not be decoded (internal error: ${message})`;
}
