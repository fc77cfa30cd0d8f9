import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IngestPreview, TableColumns } from '../../contract/contract';
import { decodePixelsInto } from '../store/image-batches';
import { groupUnits } from './bands';
import { CATALOGUE_COLUMN_NAMES, readCatalogue } from './catalogue';
import { columnIndex, firstColumn, parseCsv } from '../csv-table';
import { decodeChunk } from './decode';
import { IngestError, unreadableInput } from './errors';
import type { DecodeSettings } from './messages';
import { scanPaths } from './scan';
import type { IngestOptions } from './types';

/** Units tried before a preview gives up looking for cutouts (a folder of bad files). */
const MAX_UNITS_TRIED = 32;
const SAMPLE_ROWS = 5;

/**
 * A CSV's columns and first rows, and which columns ingest would take for each role when
 * none is named: what the window shows so the user can map id, RA/Dec or x/y, the frame and
 * the label before ingesting.
 */
export function inspectTable(file: string): TableColumns {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadableInput('The table', path, error);
  }
  const table = parseCsv(text);
  if (table.columns.length === 0) {
    throw new IngestError('bad-catalogue', path, `${path} is empty; it needs a header row.`);
  }
  const { columns } = table;
  const guess = (names: readonly string[]) => columns[firstColumn(columns, names)] ?? null;
  const label = columnIndex(columns, 'label_name') >= 0 ? 'label_name' : 'label';
  return {
    path,
    columns,
    rows: table.rows.length,
    sample: table.rows.slice(0, SAMPLE_ROWS),
    problem: table.problem,
    guess: {
      id: guess(CATALOGUE_COLUMN_NAMES.id),
      ra: guess(CATALOGUE_COLUMN_NAMES.ra),
      dec: guess(CATALOGUE_COLUMN_NAMES.dec),
      x: guess(CATALOGUE_COLUMN_NAMES.x),
      y: guess(CATALOGUE_COLUMN_NAMES.y),
      file: guess(CATALOGUE_COLUMN_NAMES.file),
      label: columns[columnIndex(columns, label)] ?? null,
    },
  };
}

/**
 * The first few cutouts an ingest with these options would make, decoded exactly as the
 * ingest decodes them, and nothing written: to check the catalogue columns, size, HDU and
 * bands before committing. Scans the paths and decodes units in order until it has `limit`.
 */
export async function previewIngest(
  paths: string[],
  options: Omit<IngestOptions, 'labels' | 'workers' | 'signal' | 'onProgress'>,
  limit: number,
): Promise<IngestPreview> {
  const size = options.size ?? 64;
  const catalogue = options.catalogue ? readCatalogue(options.catalogue) : null;
  const settings: DecodeSettings = {
    size,
    layout: options.layout ?? 'auto',
    hdu: options.hdu ?? null,
    catalogue: catalogue ? { system: catalogue.system, entries: catalogue.entries } : null,
  };
  const files = await scanPaths(paths);
  const units = groupUnits(files, options.bands ?? 'auto');
  const preview: IngestPreview = {
    files: files.length,
    units: units.length,
    cutouts: [],
    rejected: [],
  };
  for (let index = 0; index < units.length && index < MAX_UNITS_TRIED; index++) {
    if (preview.cutouts.length >= limit) break;
    const unit = units[index]!;
    const result = await decodeChunk({ id: index, units: [{ index, unit }] }, settings);
    for (const outcome of result.outcomes) {
      if (outcome.rejected) {
        preview.rejected.push({ path: unit.files[0]!.path, reason: outcome.rejected });
        continue;
      }
      for (const o of outcome.objects) {
        if (preview.cutouts.length >= limit) break;
        const values = size * size * o.bands;
        const plane = new Float32Array(values);
        const bytes = result.pixels.subarray(o.offset, o.offset + o.length);
        decodePixelsInto(o.format, bytes, plane, 0, values);
        preview.cutouts.push({
          uid: o.uid,
          file: unit.files[0]!.rel,
          x: o.x,
          y: o.y,
          ra: o.ra,
          dec: o.dec,
          size,
          bands: o.bands,
          bandNames: o.bandNames,
          // 0–255 per value: a preview is for the eye, and a JSON array of bytes stays small.
          pixels: Array.from(plane, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)),
        });
      }
    }
  }
  return preview;
}
