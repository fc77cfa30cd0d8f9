import { existsSync } from 'node:fs';
import { layouts, type Events, type Input, type Layout } from '../../contract/contract';
import type { HeadlessHost } from '../../app/headless';
import { ApiFailure } from '../../app/errors';
import { intOption, parse } from '../args';
import { UserError, type CliIo, type Command } from '../command';
import { describeCutouts } from '../cutouts';
import { request, withProject } from '../project-call';
import { printable } from '../printable';

const USAGE = `ahunt ingest <project> <paths…> [options]

Adds survey images to a project (created if <project> does not exist yet). Folders are read
recursively: FITS cutouts (.fits .fit .fts .fz .gz) and JPEG/PNG cutouts. Re-running skips
files already ingested (same real path, size and modification time); a file changed since
is ingested again only if its pixels are the same, else refused with the reason. Bad files
are rejected with their reason and the rest goes on: the exit code is 0 when anything was
ingested or skipped, 1 when every file was rejected.

Options:
  --size N              cutout side in pixels (default 64)
  --layout MODE         auto | cutout | grid: a FITS image is one object (cutout) or a frame
                        tiled into size×size cutouts (grid); auto = grid when both sides ≥ 2×size
  --hdu N|NAME          HDU to read (default: the first image HDU big enough)
  --bands LIST          band tokens in file names, bluest first, e.g. j,h,k (x_j.fits + x_h.fits +
                        x_k.fits = one 3-band object, k shown red); "auto" (default) knows
                        ugriz/UBVRI/JHK/IRAC/WISE; "none"
  --catalogue FILE      CSV of positions to cut out of large frames
  --ra COL --dec COL    its RA/Dec columns (degrees or sexagesimal; default ra, dec)
  --x COL --y COL       or its pixel columns (1-based, as in DS9/SExtractor)
  --id COL              its object id column (default id)
  --frame-column COL    column naming the frame file of each row (default: every frame)
  --labels FILE         CSV of known labels (file,label or id,label; label_name preferred),
                        imported as round-0 labels; new names become anomaly classes
  --label-column COL    the labels file's label column (default label_name, else label)
  --label-file-column COL / --label-id-column COL
                        match labels to objects by this file-name / object-id column
  --normal NAMES        label names to import as normal classes (comma-separated)
  --workers N           decoding threads (default: one per core for JPEG/PNG, one fewer for
                        FITS, whose writes keep a core busy; 0 = none)
  --json                print {"ingested","skipped","rejected","errors","seconds"} as JSON`;

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'add FITS / JPEG / PNG survey images (and labels) to a project',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        size: { type: 'string' },
        layout: { type: 'string' },
        hdu: { type: 'string' },
        bands: { type: 'string' },
        catalogue: { type: 'string' },
        catalog: { type: 'string' },
        ra: { type: 'string' },
        dec: { type: 'string' },
        x: { type: 'string' },
        y: { type: 'string' },
        id: { type: 'string' },
        'frame-column': { type: 'string' },
        labels: { type: 'string' },
        'label-column': { type: 'string' },
        'label-file-column': { type: 'string' },
        'label-id-column': { type: 'string' },
        normal: { type: 'string' },
        workers: { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 2, max: Infinity, usage: USAGE.split('\n')[0]! },
    );
    const [dir, ...paths] = positionals as [string, ...string[]];
    const options = buildRequest(paths, values);
    for (const p of paths) {
      if (!existsSync(p))
        throw new UserError(`${p} does not exist; give folders or files of survey images.`);
    }
    // Ingest writes the project: it is made on first use, and locked while this runs.
    const { report, info } = await withProject(
      dir,
      { kind: 'write', folder: 'open-or-create', doing: 'ingesting into it' },
      async (host) => ({
        report: await runIngest(host, options, io, values.json ? undefined : progressPrinter(io)),
        info: await request(host, 'project.info', {}, io),
      }),
    );
    printSummary(io, report, Boolean(values.json));
    // A project that now mixes cutout shapes says so, and whether it can still be hunted.
    if (!values.json && info.cutouts.shapes.length > 1)
      io.out(`Cutouts: ${describeCutouts(info.cutouts)}.`);
    if (report.cancelled) return 130;
    if (everyFileRejected(report)) {
      io.err(
        `ahunt ingest: all ${report.rejected} files were rejected and nothing was ingested; ` +
          'the reasons are listed above.',
      );
      return 1;
    }
    return 0;
  },
};

/** Starts the ingest through the api and waits for its report; Ctrl-C cancels it. */
async function runIngest(
  host: HeadlessHost,
  input: Input<'ingest.start'>,
  io: CliIo,
  onProgress: ((p: Events['ingest.progress']) => void) | undefined,
): Promise<Events['ingest.done']> {
  const unsubscribe: (() => void)[] = [];
  const finished = new Promise<Events['ingest.done']>((done, fail) => {
    unsubscribe.push(host.on('ingest.done', done));
    unsubscribe.push(host.on('engine.error', (error) => fail(new ApiFailure(error))));
    if (onProgress) unsubscribe.push(host.on('ingest.progress', onProgress));
  });
  const stop = () => void request(host, 'ingest.cancel', {}, io);
  process.once('SIGINT', stop);
  try {
    await request(host, 'ingest.start', input, io);
    return await finished;
  } finally {
    process.off('SIGINT', stop);
    for (const u of unsubscribe) u();
  }
}

type Values = Record<string, string | boolean | undefined>;

/** The command line's options as the api's ingest request (the window sends the same one). */
function buildRequest(paths: string[], values: Values): Input<'ingest.start'> {
  const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const request: Input<'ingest.start'> = { paths, size: intOption(text('size'), 'size', 64) };
  const layout = text('layout');
  if (layout !== undefined) {
    if (!(layouts as readonly string[]).includes(layout)) {
      throw new UserError(`--layout must be auto, cutout or grid, not "${layout}".`);
    }
    request.layout = layout as Layout;
  }
  const hdu = text('hdu');
  if (hdu !== undefined) request.hdu = /^\d+$/.test(hdu) ? Number(hdu) : hdu;
  const bands = text('bands');
  if (bands !== undefined)
    request.bands = bands === 'auto' || bands === 'none' ? bands : bands.split(',');
  const catalogue = text('catalogue') ?? text('catalog');
  if (catalogue !== undefined) {
    request.catalogue = { path: catalogue };
    for (const key of ['ra', 'dec', 'x', 'y', 'id'] as const) {
      const v = text(key);
      if (v !== undefined) request.catalogue[key] = v;
    }
    const frame = text('frame-column');
    if (frame !== undefined) request.catalogue.file = frame;
  } else {
    const stray = ['ra', 'dec', 'x', 'y', 'id', 'frame-column'].filter(
      (k) => text(k) !== undefined,
    );
    if (stray.length > 0)
      throw new UserError(
        `--${stray[0]} names a catalogue column: give the catalogue with --catalogue FILE.`,
      );
  }
  const labels = text('labels');
  if (labels !== undefined) {
    request.labels = { path: labels };
    const label = text('label-column');
    if (label !== undefined) request.labels.label = label;
    const fileColumn = text('label-file-column');
    if (fileColumn !== undefined) request.labels.file = fileColumn;
    const idColumn = text('label-id-column');
    if (idColumn !== undefined) request.labels.id = idColumn;
    const normal = text('normal');
    if (normal !== undefined) request.labels.normalClasses = normal.split(',').map((n) => n.trim());
  }
  const workers = text('workers');
  if (workers !== undefined) request.workers = intOption(workers, 'workers', 0);
  return request;
}

/** On a terminal, one line a second; in a pipe or log file nothing until the summary. */
function progressPrinter(io: CliIo): ((p: Events['ingest.progress']) => void) | undefined {
  if (!io.interactive) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 1000 && p.done < p.total) return;
    last = now;
    io.err(
      `ingest: ${p.done}/${p.total} files · ${p.ingested} ingested, ${p.skipped} skipped, ` +
        `${p.rejected} rejected · ${p.objects} objects · ${Math.round(p.filesPerSecond)} files/s`,
    );
  };
}

/**
 * Bad files do not stop a run: some rejected beside others ingested is a success that lists
 * them. A run where every file was rejected did nothing the user asked for: exit 1.
 */
function everyFileRejected(s: Events['ingest.done']): boolean {
  return s.rejected > 0 && s.ingested === 0 && s.skipped === 0;
}

function printSummary(io: CliIo, s: Events['ingest.done'], json: boolean): void {
  if (json) {
    io.out(
      JSON.stringify({
        ingested: s.ingested,
        skipped: s.skipped,
        rejected: s.rejected,
        errors: s.errors.map((e) => ({ path: e.path, reason: e.reason })),
        seconds: Math.round(s.seconds * 1000) / 1000,
      }),
    );
    return;
  }
  const lines = [
    `${s.cancelled ? 'Cancelled after' : 'Ingested'} ${s.ingested} files (${s.objects} objects) in ${s.seconds.toFixed(1)} s; ` +
      `${s.skipped} skipped as already ingested, ${s.rejected} rejected.`,
  ];
  if (s.labels) {
    lines.push(
      `Labels: ${s.labels.imported} imported, ${s.labels.unmatched} unmatched` +
        (s.labels.classesCreated.length
          ? `; new classes: ${printable(s.labels.classesCreated.join(', '))}`
          : '') +
        '.',
    );
  }
  for (const e of s.errors.slice(0, 20))
    lines.push(`  ${printable(e.path)}: ${printable(e.reason)}`);
  if (s.errors.length > 20)
    lines.push(`  … ${s.errors.length - 20} more (ahunt info shows the count)`);
  io.out(lines.join('\n'));
}
