import { entryMatchesFile } from './catalogue';
import { RejectedFile } from './errors';
import type { BandImage } from './fits-bands';
import { gridOrigins, onFrame, windowCentre, windowOrigin } from './geometry';
import type { DecodeSettings, UnitOutcome } from './messages';
import type { Unit } from './types';

/** Where one object is cut from the first band of a frame. */
export interface Placement {
  x0: number;
  y0: number;
  /** The object's position in band-0 pixels (catalogue position, or the window centre). */
  x: number;
  y: number;
  ra: number | null;
  dec: number | null;
  uidSuffix: string;
  extra: Record<string, unknown>;
}

export function gridPlacements(base: BandImage, size: number): Placement[] {
  return gridOrigins(base.plane.width, base.plane.height, size).map(([x0, y0]) => {
    const [x, y] = windowCentre(x0, y0, size);
    const [ra, dec] = base.wcs ? base.wcs.pixelToWorld(x, y) : [null, null];
    return { x0, y0, x, y, ra, dec, uidSuffix: `@${x0},${y0}/${size}`, extra: { layout: 'grid' } };
  });
}

export function cataloguePlacements(
  unit: Unit,
  base: BandImage,
  settings: DecodeSettings,
  outcome: UnitOutcome,
): Placement[] {
  const catalogue = settings.catalogue!;
  if (catalogue.system === 'world' && !base.wcs) {
    throw new RejectedFile(
      'the catalogue gives RA/Dec but this image has no celestial WCS (TAN or SIN); give pixel --x/--y instead',
    );
  }
  const placements: Placement[] = [];
  const { width, height } = base.plane;
  for (const entry of catalogue.entries) {
    if (!unit.files.some((f) => entryMatchesFile(entry, f.path, f.rel))) continue;
    let x: number;
    let y: number;
    let ra = entry.ra;
    let dec = entry.dec;
    if (catalogue.system === 'world') {
      [x, y] = base.wcs!.worldToPixel(entry.ra!, entry.dec!);
    } else {
      x = entry.x!;
      y = entry.y!;
      if (base.wcs) [ra, dec] = base.wcs.pixelToWorld(x, y);
    }
    // Only the centre must be on the frame: edge objects are padded and flagged; the main
    // thread reports rows that land on no frame at all.
    if (!Number.isFinite(x) || !Number.isFinite(y) || !onFrame(x, y, width, height)) continue;
    outcome.placedRows.push(entry.row);
    const [x0, y0] = windowOrigin(x, y, settings.size);
    placements.push({
      x0,
      y0,
      x,
      y,
      ra,
      dec,
      uidSuffix: `#${entry.id}`,
      extra: { catalogueId: entry.id, catalogueRow: entry.row + 1, layout: 'catalogue' },
    });
  }
  return placements;
}
