import { reproject, sameGrid } from './align';
import { FitsError, releasePixels } from '../fits';
import { RejectedFile, unreadableReason } from './errors';
import { readFitsBand, type BandImage } from './fits-bands';
import { cutWindow, resizeSquare, type Plane } from './geometry';
import type { DecodeSettings, UnitOutcome } from './messages';
import { pack } from './pack';
import type { PixelSink } from './pixel-sink';
import { cataloguePlacements, gridPlacements } from './placements';
import type { Unit } from './types';
import { unitName } from './uid';

/** Decodes a FITS unit (one file or a band set) into objects. Throws RejectedFile on bad input. */
export async function decodeFitsUnit(
  unit: Unit,
  index: number,
  settings: DecodeSettings,
  sink: PixelSink,
): Promise<UnitOutcome> {
  const { size } = settings;
  const images: BandImage[] = [];
  for (const f of unit.files) {
    try {
      images.push(await readFitsBand(f, size, settings.hdu));
    } catch (caught) {
      for (const image of images) releasePlane(image.plane);
      const error = clearerFailure(f.path, caught);
      // In a band set, say which band's file is at fault.
      if (unit.files.length > 1 && error instanceof RejectedFile)
        throw new RejectedFile(`${f.rel}: ${error.message}`);
      throw error;
    }
  }
  try {
    return objectsOf(unit, index, settings, sink, images);
  } finally {
    // The objects hold packed copies; the decoded planes can take the next file's pixels.
    for (const image of images) releasePlane(image.plane);
  }
}

function releasePlane(plane: Plane): void {
  const { data } = plane;
  if (data instanceof Float32Array || data instanceof Float64Array) releasePixels(data);
}

/** The objects of a unit whose bands are read (cutouts, grid tiles or catalogue windows). */
function objectsOf(
  unit: Unit,
  index: number,
  settings: DecodeSettings,
  sink: PixelSink,
  images: BandImage[],
): UnitOutcome {
  const { size } = settings;
  const base = images[0]!;
  const name = `${unitName(unit)}[${base.hdu}]`;
  const bandNames = unit.files.length > 1 ? unit.files.map((f) => f.band ?? '?') : null;
  const common = commonMeta(unit, images);
  const outcome: UnitOutcome = {
    index,
    objects: [],
    placedRows: [],
    rejected: null,
    stamps: images.map((img) => img.stamp),
  };

  const useGrid =
    settings.layout === 'grid' ||
    (settings.layout === 'auto' && Math.min(base.plane.width, base.plane.height) >= 2 * size);
  if (!settings.catalogue && !useGrid) {
    // The whole image is the object.
    const bands = images.map((img) => resizeSquare(img.plane, size).data);
    const { width, height } = base.plane;
    const x = (width - 1) / 2;
    const y = (height - 1) / 2;
    const [ra, dec] = base.wcs ? base.wcs.pixelToWorld(x, y) : [null, null];
    const side = Math.min(width, height);
    const extra = side === size && width === height ? {} : { resizedFrom: [width, height] };
    outcome.objects.push(
      pack(
        bands,
        0,
        { uid: name, hdu: base.hdu, x, y, ra, dec, bandNames, meta: { ...common, ...extra } },
        sink,
      ),
    );
    return outcome;
  }

  const aligned = images.map((img) => img === base || sameGrid(base, img));
  if (aligned.some((a) => !a) && (!base.wcs || images.some((img) => !img.wcs))) {
    throw new RejectedFile(
      'its bands have different pixel grids and not all have a celestial WCS to align them',
    );
  }
  const placements = settings.catalogue
    ? cataloguePlacements(unit, base, settings, outcome)
    : gridPlacements(base, size);
  const buffers = images.map(() => new Float32Array(size * size));
  for (const p of placements) {
    let outside = 0;
    images.forEach((img, b) => {
      if (aligned[b]) {
        const n = cutWindow(img.plane, p.x0, p.y0, size, buffers[b]!);
        if (b === 0) outside = n;
      } else reproject(base, img, p.x0, p.y0, size, buffers[b]!);
    });
    // A grid tile that is all blank (outside a mosaic's footprint) is not an object.
    if (!settings.catalogue && buffers.every((buf) => !buf.some((v) => Number.isFinite(v))))
      continue;
    const flags: string[] = [];
    if (outside > 0) flags.push('edge');
    const meta: Record<string, unknown> = { ...common, ...p.extra, window: [p.x0, p.y0] };
    if (outside > 0) meta.padded = outside;
    if (aligned.some((a) => !a)) flags.push('reprojected');
    outcome.objects.push(
      pack(
        buffers,
        outside,
        {
          uid: name + p.uidSuffix,
          hdu: base.hdu,
          x: p.x,
          y: p.y,
          ra: p.ra,
          dec: p.dec,
          bandNames,
          meta,
        },
        sink,
        flags,
      ),
    );
  }
  if (!settings.catalogue && outcome.objects.length === 0) {
    throw new RejectedFile(
      placements.length === 0
        ? `its ${base.plane.width} × ${base.plane.height} image is smaller than one ${size} × ${size} tile; use --layout cutout`
        : 'every cutout of it is blank (NaN)',
    );
  }
  return outcome;
}

function commonMeta(unit: Unit, images: BandImage[]): Record<string, unknown> {
  const meta: Record<string, unknown> = { file: unit.files[0]!.rel, stretch: 'asinh' };
  if (unit.files.length > 1) meta.files = unit.files.map((f) => f.rel);
  if (images[0]!.planes > 1) meta.collapsedPlanes = images[0]!.planes;
  return meta;
}

/**
 * A failed read said in the user's terms. The codec only sees bytes (or a read error), so
 * "not a FITS file" is what it reports for an empty file, a symlink loop or a text file
 * named .gz; the path itself tells which of those it is.
 */
function clearerFailure(path: string, error: unknown): unknown {
  const unreadable = unreadableReason(path);
  if (unreadable !== null) return new RejectedFile(unreadable);
  if (error instanceof FitsError && error.code === 'not-fits' && /\.gz$/i.test(path)) {
    return new RejectedFile(
      'is named .gz but is not gzip-compressed, nor a plain FITS file (it does not start with ' +
        '"SIMPLE  ="); check what the file really is',
    );
  }
  return error;
}
