import { FitsError, imageStats, readFitsFile } from '../../engine/fits';
import type { FitsFile, HduInfo, ImageStats } from '../../engine/fits';
import { parse } from '../args';
import { UserError } from '../command';
import { printable } from '../printable';
import type { Command } from '../command';

interface FitsReport {
  hdus: {
    index: number;
    type: HduInfo['type'];
    extname: string | null;
    bitpix: number;
    shape: number[];
    compression: string | null;
  }[];
  image: {
    hdu: number;
    shape: number[];
    min: number | null;
    max: number | null;
    mean: number | null;
    sum: number;
    nan: number;
  };
}

export const fitsCommand: Command = {
  name: 'fits',
  summary: 'inspect a FITS file: its HDUs and statistics of an image',
  usage:
    'ahunt fits <file> [--hdu N|EXTNAME] [--plane P] [--json]\n' +
    '  Lists the HDUs and gives min/max/mean/sum/NaN count of one image plane\n' +
    '  (default: the first image HDU holding pixels, plane 0). Reads .fits, .fits.gz, .fits.fz.',
  async run(argv, io) {
    const { values, positionals } = parseArguments(argv);
    const file = positionals[0]!;
    const plane = planeOption(values.plane);
    const hdu = hduOption(values.hdu);
    const report = await inspect(file, hdu, plane);
    io.out(values.json ? JSON.stringify(report) : formatReport(file, report, plane));
    return 0;
  },
};

const USAGE_LINE = 'ahunt fits <file> [--hdu N|EXTNAME] [--plane P] [--json]';

function parseArguments(argv: string[]) {
  try {
    return parse(
      argv,
      { hdu: { type: 'string' }, plane: { type: 'string' }, json: { type: 'boolean' } },
      { min: 1, max: 1, usage: USAGE_LINE },
    );
  } catch (error) {
    // parseArgs's own errors (unknown option, missing value) are the user's to fix: exit 1.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UserError(`${(error as Error).message}. Usage: ${USAGE_LINE}`);
    }
    throw error;
  }
}

function hduOption(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') throw new UserError('--hdu needs an HDU number (0 = primary) or an EXTNAME.');
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function planeOption(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new UserError(`--plane must be a whole number (planes count from 0), got "${value}".`);
  }
  return n;
}

async function inspect(
  file: string,
  hdu: number | string | undefined,
  plane: number,
): Promise<FitsReport> {
  let fits: FitsFile;
  try {
    fits = await readFitsFile(file);
    const image = fits.readImage({ hdu, plane });
    return {
      hdus: fits.hdus.map((h) => ({
        index: h.index,
        type: h.type,
        extname: h.extname,
        bitpix: h.bitpix,
        shape: h.shape,
        compression: h.compression,
      })),
      image: { hdu: image.hdu, ...jsonStats(imageStats(image)) },
    };
  } catch (error) {
    if (error instanceof FitsError) throw new UserError(error.message);
    throw error;
  }
}

/** JSON has no NaN: statistics of an all-NaN plane are null. */
function jsonStats(stats: ImageStats): Omit<FitsReport['image'], 'hdu'> {
  const finite = (v: number) => (Number.isNaN(v) ? null : v);
  return {
    shape: stats.shape,
    min: finite(stats.min),
    max: finite(stats.max),
    mean: finite(stats.mean),
    sum: stats.sum,
    nan: stats.nan,
  };
}

/** A fitsinfo-like table, then the statistics of the chosen image. */
function formatReport(file: string, report: FitsReport, plane: number): string {
  const rows = report.hdus.map((h) => [
    String(h.index),
    h.type,
    printable(h.extname ?? (h.index === 0 ? 'PRIMARY' : '')),
    String(h.bitpix),
    h.shape.length === 0 ? '()' : `[${h.shape.join(', ')}]`,
    h.compression ?? '',
  ]);
  const headings = ['No.', 'Type', 'Name', 'BitPix', 'Dimensions', 'Compression'];
  const widths = headings.map((heading, c) =>
    Math.max(heading.length, ...rows.map((r) => r[c]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const { image } = report;
  const number = (v: number | null) => (v === null ? 'NaN' : formatNumber(v));
  return [
    `Filename: ${printable(file)}`,
    line(headings),
    ...rows.map(line),
    '',
    `Image: HDU ${image.hdu}, plane ${plane}, ${image.shape.join(' × ')} pixels`,
    `  min   ${number(image.min)}`,
    `  max   ${number(image.max)}`,
    `  mean  ${number(image.mean)}`,
    `  sum   ${formatNumber(image.sum)}`,
    `  NaN   ${image.nan}`,
  ].join('\n');
}

function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e9
    ? String(Number(v.toPrecision(10)))
    : v.toExponential(6);
}
