import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitsImageBytes } from '../../../engine/demo/write-fits';
import { mulberry32 } from '../../../engine/random';

/**
 * A synthetic survey for the scale benchmark: large FITS frames plus a catalogue of positions,
 * ingested through the real catalogue cut-out path.
 *
 * Why frames + catalogue and not one file per cutout: 10^6 float32 64×64 FITS files would be
 * 16 GB written and read back just to set the stage. Catalogue positions may overlap (a step of
 * STEP pixels between 64-pixel cutouts), so 10^6 distinct objects come from ~310 frames of 1 MB:
 * generation takes seconds, and ingest still decodes FITS, cuts out, normalises, packs to
 * float16 and writes every object through the store — the work a real survey costs per object.
 */

/** Frame side in pixels: 3,249 cutouts per frame, so each of ingest's decode jobs stays small. */
export const FRAME = 512;
/** Pixels between neighbouring catalogue positions (cutouts overlap; each is still its own object). */
const STEP = 8;
const CUTOUT = 64;
/**
 * Frames per ingest() call (~19,500 objects), each call with its own catalogue: the survey
 * is fed in slices, as a user adding a night's frames at a time would.
 */
const FRAMES_PER_CHUNK = 6;

export interface ScaleChunk {
  /** Folder holding this chunk's frames. */
  frames: string;
  catalogue: string;
  objects: number;
}

export interface ScaleSurvey {
  chunks: ScaleChunk[];
  objects: number;
  frames: number;
  /** Rings (the anomaly) by frame file name: pixel centres, 1-based as in the catalogue. */
  rings: Map<string, [number, number][]>;
}

/** Catalogue positions of one frame, 1-based pixel centres that keep a whole cutout inside. */
function framePositions(): [number, number][] {
  const first = CUTOUT / 2 + 1;
  const last = FRAME - CUTOUT / 2;
  const out: [number, number][] = [];
  for (let y = first; y <= last; y += STEP)
    for (let x = first; x <= last; x += STEP) out.push([x, y]);
  return out;
}

/**
 * Writes frames and catalogues for `objects` objects under `dir`, deterministically for a seed.
 * Each frame: sky noise, 150 Gaussian blobs (the ordinary objects) and two rings.
 */
export function generateScaleSurvey(dir: string, objects: number, seed = 7): ScaleSurvey {
  const positions = framePositions();
  const frames = Math.max(1, Math.ceil(objects / positions.length));
  const rand = mulberry32(seed);
  const rings = new Map<string, [number, number][]>();
  const chunks: ScaleChunk[] = [];
  let left = objects;
  for (let f = 0; f < frames; f++) {
    const c = Math.floor(f / FRAMES_PER_CHUNK);
    const folder = join(dir, 'frames', `chunk-${String(c).padStart(3, '0')}`);
    if (!chunks[c]) {
      mkdirSync(folder, { recursive: true });
      chunks[c] = {
        frames: folder,
        catalogue: join(dir, `catalogue-${String(c).padStart(3, '0')}.csv`),
        objects: 0,
      };
    }
    const name = `frame-${String(f).padStart(4, '0')}.fits`;
    const frameRings = paintFrame(join(folder, name), rand);
    rings.set(name, frameRings);
    const take = Math.min(left, positions.length);
    left -= take;
    const lines = [];
    for (let i = 0; i < take; i++) {
      const [x, y] = positions[i]!;
      lines.push(`f${f}_${i},${name},${x},${y}`);
    }
    const chunk = chunks[c];
    const header = chunk.objects === 0 ? 'id,file,x,y\n' : '';
    writeFileSync(chunk.catalogue, `${header}${lines.join('\n')}\n`, { flag: 'a' });
    chunk.objects += take;
  }
  return { chunks, objects, frames, rings };
}

function paintFrame(path: string, rand: () => number): [number, number][] {
  const px = new Float32Array(FRAME * FRAME);
  // Sky: approximately normal noise from the sum of four uniforms (cheap, deterministic).
  for (let i = 0; i < px.length; i++) px[i] = 100 + 3 * (rand() + rand() + rand() + rand() - 2);
  for (let k = 0; k < 150; k++) {
    const cx = rand() * FRAME;
    const cy = rand() * FRAME;
    const sigma = 1 + 3 * rand();
    addProfile(px, cx, cy, 4 * sigma, 20 + 200 * rand(), (r) =>
      Math.exp((-r * r) / (2 * sigma * sigma)),
    );
  }
  const rings: [number, number][] = [];
  for (let k = 0; k < 2; k++) {
    const cx = CUTOUT + rand() * (FRAME - 2 * CUTOUT);
    const cy = CUTOUT + rand() * (FRAME - 2 * CUTOUT);
    const radius = 8 + 6 * rand();
    addProfile(px, cx, cy, radius + 4, 150, (r) => Math.exp(-((r - radius) ** 2) / 2));
    rings.push([cx + 1, cy + 1]);
  }
  writeFileSync(path, fitsImageBytes(px, FRAME, FRAME, [{ key: 'OBJECT', value: 'scale bench' }]));
  return rings;
}

function addProfile(
  px: Float32Array,
  cx: number,
  cy: number,
  reach: number,
  peak: number,
  profile: (r: number) => number,
): void {
  const x0 = Math.max(0, Math.floor(cx - reach));
  const x1 = Math.min(FRAME - 1, Math.ceil(cx + reach));
  const y0 = Math.max(0, Math.floor(cy - reach));
  const y1 = Math.min(FRAME - 1, Math.ceil(cy + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) px[y * FRAME + x]! += peak * profile(Math.hypot(x - cx, y - cy));
  }
}

/** Is the object at 1-based catalogue pixel (x, y) of `frame` centred on a ring? The bench's oracle. */
export function isRing(survey: ScaleSurvey, frame: string, x: number, y: number): boolean {
  return (survey.rings.get(frame) ?? []).some(([rx, ry]) => Math.hypot(rx - x, ry - y) < 12);
}
