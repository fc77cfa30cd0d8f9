/**
 * The bad-input corpus (issue #7): every malformed file in tests/fixtures/bad is refused with
 * a reason that names its problem, the good files beside it still ingest, and inputs that
 * make the whole run meaningless (a broken catalogue or labels file) stop it with an
 * IngestError before anything is written. Regenerate the corpus with
 * `/usr/bin/python3 tests/fixtures/bad/make.py`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../src-main/engine/ingest/errors';
import { ingest } from '../../src-main/engine/ingest/ingest';
import type { IngestOptions, IngestSummary } from '../../src-main/engine/ingest/types';
import { createProject, type Project } from '../../src-main/engine/store/project';
import { listIngestErrors } from '../../src-main/engine/store/sources';
import { repoRoot, tempDir } from './helpers';

const corpus = join(repoRoot, 'tests/fixtures/bad');
const tmp = tempDir('ahunt-bad-input-');
afterAll(() => {
  // chmod 000 folders would stop the clean-up from deleting their contents.
  spawnSync('chmod', ['-R', 'u+rwx', tmp.dir]);
  tmp.cleanup();
});
let projects = 0;
function newProject(): Project {
  return createProject(join(tmp.dir, `project-${++projects}`));
}
const objectCount = (p: Project) =>
  (p.db.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n;
const isRoot = process.getuid?.() === 0;

/** Each malformed file in the corpus and a phrase its rejection reason must contain. */
const REJECTED: [file: string, reason: RegExp][] = [
  ['billion-pixels.fits', /announces 1000014129 bytes of data but only 2880 remain/],
  ['bitpix-7.fits', /BITPIX = 7; FITS allows only 8, 16, 32, 64, -32 and -64/],
  ['corrupt-tile.fits.fz', /tile 1 \(GZIP_1\) does not inflate .*corrupt gzip data/],
  ['header-without-end.fits', /header starting at byte 0 has no END card/],
  ['huge-dimensions.png', /claims 100000 × 100000 pixels, .* refused before decoding/],
  ['naxis-lies.fits', /announces 524288 bytes of data but only 2880 remain/],
  ['not-gzip.fits.gz', /is named \.gz but is not gzip-compressed/],
  ['text-named.png', /cannot be decoded as an image: it is a text file, not a JPEG or PNG/],
  ['truncated-data.fits', /announces 2048 bytes of data but only 1000 remain/],
  [
    'truncated.jpg',
    /cannot be decoded as an image: it is truncated or corrupt \(the JPEG ends before its end-of-image marker\)/,
  ],
  [
    'truncated.png',
    /cannot be decoded as an image: it is truncated or corrupt \(the PNG ends before its IEND chunk\)/,
  ],
  ['zero-byte.fits', /is empty \(0 bytes\)/],
  ['zero-byte.png', /is empty \(0 bytes\)/],
];
const GOOD = ['ok-cutout.fits', 'ok-cutout.png'];

function reasonsByName(summary: IngestSummary): Map<string, string> {
  return new Map(summary.errors.map((e) => [basename(e.path), e.reason]));
}

describe('the bad-input corpus', () => {
  let summary: IngestSummary;
  let project: Project;

  it('ingests the good files and rejects every bad one, without crashing', async () => {
    project = newProject();
    summary = await ingest(project, [corpus], { workers: 0 });
    expect(summary).toMatchObject({
      ingested: GOOD.length,
      rejected: REJECTED.length,
      skipped: 0,
      objects: GOOD.length,
      cancelled: false,
    });
    expect(objectCount(project)).toBe(GOOD.length);
    expect([...reasonsByName(summary).keys()].sort()).toEqual(REJECTED.map(([f]) => f).sort());
    expect(listIngestErrors(project.db)).toHaveLength(REJECTED.length);
  });

  it.each(REJECTED)('%s is rejected with a reason naming its problem', (file, reason) => {
    const got = reasonsByName(summary).get(file);
    expect(got).toMatch(reason);
    // A decoder bug would surface as "internal error"; libvips' raw multi-line text is not a reason.
    expect(got).not.toMatch(/internal error|\n|^Error/);
  });

  it('gives the same reasons from worker threads as on the calling thread', async () => {
    const threaded = await ingest(newProject(), [corpus], { workers: 1 });
    expect(reasonsByName(threaded)).toEqual(reasonsByName(summary));
    expect(threaded).toMatchObject({ ingested: GOOD.length, rejected: REJECTED.length });
  });

  it('a re-run skips the good files and tries the rejected ones again', async () => {
    const again = await ingest(project, [corpus], { workers: 0 });
    expect(again).toMatchObject({ skipped: GOOD.length, rejected: REJECTED.length, ingested: 0 });
  });
});

/** A folder holding one good FITS file, for catalogue and labels cases. */
function goodFolder(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(corpus, 'ok-cutout.fits'), join(dir, 'ok-cutout.fits'));
  return dir;
}

describe('catalogues and labels that make the run meaningless', () => {
  const folder = goodFolder('one-good');
  const catalogue = (name: string): IngestOptions => ({
    catalogue: { path: join(corpus, 'catalogues', name) },
  });
  const labels = (name: string): IngestOptions => ({
    labels: { path: join(corpus, 'labels', name) },
  });

  it.each([
    [
      'missing-radec.csv',
      catalogue,
      'bad-catalogue',
      /found no position columns: it needs RA and Dec/,
    ],
    ['non-numeric-ra.csv', catalogue, 'bad-catalogue', /line 3: ra "abc" is not a right ascension/],
    [
      'duplicate-ids.csv',
      catalogue,
      'bad-catalogue',
      /line 4: id "7" appears twice \(also on line 2\)/,
    ],
    ['empty.csv', catalogue, 'bad-catalogue', /it is empty; it needs a header row/],
    [
      'unclosed-quote.csv',
      catalogue,
      'bad-catalogue',
      /line 3: a quoted field \("\) is never closed/,
    ],
    [
      'duplicate-ids.csv',
      labels,
      'bad-labels',
      /line 3: id "ok-cutout.fits\[0\]" is labelled "merger" but line 2 labels it "lens"/,
    ],
    ['empty.csv', labels, 'bad-labels', /it is empty; it needs a header row/],
    ['../ok-cutout.fits', catalogue, 'bad-catalogue', /contains binary data \(NUL bytes\)/],
  ] as const)(
    '%s (%s) stops the run before anything is written',
    async (file, kind, code, reason) => {
      const p = newProject();
      const run = ingest(p, [folder], { workers: 0, ...kind(file) });
      await expect(run).rejects.toBeInstanceOf(IngestError);
      await expect(run).rejects.toMatchObject({ code, message: expect.stringMatching(reason) });
      expect(objectCount(p)).toBe(0);
    },
  );

  it('a catalogue that is a folder is refused as unreadable, not as missing', async () => {
    const run = ingest(newProject(), [folder], { catalogue: { path: folder } });
    await expect(run).rejects.toMatchObject({
      code: 'unreadable',
      message: expect.stringMatching(/cannot be read: it is a folder, not a CSV file/),
    });
  });

  it('labels for unknown objects are reported per line while the rest import', async () => {
    const s = await ingest(newProject(), [folder], { workers: 0, ...labels('unknown-ids.csv') });
    expect(s.labels).toEqual({ imported: 1, unmatched: 1, classesCreated: ['lens'] });
    expect(s.errors).toEqual([
      {
        path: join(corpus, 'labels/unknown-ids.csv'),
        reason: 'line 3: no ingested object for id "no-such-object"',
      },
    ]);
  });
});

describe('links and permissions (made here: they cannot be committed portably)', () => {
  it('symlink loops and dangling links are rejected with a reason, and never hang the scan', async () => {
    const dir = goodFolder('links');
    symlinkSync('self.fits', join(dir, 'self.fits'));
    symlinkSync('loop-b.fits', join(dir, 'loop-a.fits'));
    symlinkSync('loop-a.fits', join(dir, 'loop-b.fits'));
    symlinkSync('nowhere.fits', join(dir, 'dangling.fits'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    // A link to a real folder elsewhere is followed: its file is ingested.
    const elsewhere = goodFolder('elsewhere');
    symlinkSync(elsewhere, join(dir, 'linked'));

    const s = await ingest(newProject(), [dir], { workers: 0 });
    const reasons = new Map(s.errors.map((e) => [e.path.slice(dir.length + 1), e.reason]));
    expect(reasons.get('self.fits')).toMatch(/is a symbolic link loop/);
    expect(reasons.get('loop-a.fits')).toMatch(/is a symbolic link loop/);
    expect(reasons.get('loop-b.fits')).toMatch(/is a symbolic link loop/);
    expect(reasons.get('dangling.fits')).toMatch(
      /symbolic link to "nowhere.fits", which does not exist/,
    );
    expect(reasons.get('sub/up')).toMatch(
      /symbolic link back to the folder .* that contains it \(a loop\)/,
    );
    expect(s).toMatchObject({ ingested: 2, rejected: 5, objects: 2 });
  });

  it('a named pipe given as the input is refused, not read forever', async () => {
    const fifo = join(tmp.dir, 'pipe.fits');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(ingest(newProject(), [fifo])).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/is a named pipe \(FIFO\), not a regular file or folder/),
    });
  });

  it.skipIf(isRoot)(
    'unreadable files and folders are rejected with a reason (skipped as root: root reads every file whatever its permissions)',
    async () => {
      const dir = goodFolder('locked');
      copyFileSync(join(corpus, 'ok-cutout.fits'), join(dir, 'no-read.fits'));
      chmodSync(join(dir, 'no-read.fits'), 0o000);
      const sealed = goodFolder('locked/sealed');
      chmodSync(sealed, 0o000);

      const s = await ingest(newProject(), [dir], { workers: 0 });
      const reasons = new Map(s.errors.map((e) => [e.path.slice(dir.length + 1), e.reason]));
      expect(reasons.get('no-read.fits')).toMatch(/cannot be read: permission denied/);
      expect(reasons.get('sealed')).toMatch(
        /is a folder that cannot be read \(permission denied\)/,
      );
      expect(s).toMatchObject({ ingested: 1, rejected: 2 });

      const top = goodFolder('locked-top');
      chmodSync(top, 0o000);
      await expect(ingest(newProject(), [top])).rejects.toMatchObject({ code: 'unreadable' });
    },
  );

  it.runIf(isRoot)(
    'as root, chmod 000 files and folders still ingest (root reads everything)',
    async () => {
      const dir = goodFolder('locked-as-root');
      copyFileSync(join(corpus, 'ok-cutout.fits'), join(dir, 'no-read.fits'));
      chmodSync(join(dir, 'no-read.fits'), 0o000);
      chmodSync(goodFolder('locked-as-root/sealed'), 0o000);
      const s = await ingest(newProject(), [dir], { workers: 0 });
      expect(s).toMatchObject({ ingested: 3, rejected: 0, objects: 3 });
    },
  );
});

describe('ahunt ingest on the corpus', () => {
  const ahunt = (...args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, 'bin/ahunt.js'), ...args], {
      encoding: 'utf8',
      cwd: repoRoot,
    });
  const stackTrace = /^\s+at .*:\d+:\d+\)?$/m;

  it('--json exits 0 and lists every rejected file with its reason, no stack trace', () => {
    const r = ahunt('ingest', join(tmp.dir, 'cli-project'), corpus, '--json', '--workers', '0');
    expect(r.stderr).not.toMatch(stackTrace);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as IngestSummary;
    expect(result).toMatchObject({ ingested: GOOD.length, rejected: REJECTED.length });
    const reasons = reasonsByName(result);
    for (const [file, reason] of REJECTED) expect(reasons.get(file)).toMatch(reason);
  });

  it('a malformed catalogue exits 1 with the readable message, no stack trace', () => {
    const bad = join(corpus, 'catalogues/non-numeric-ra.csv');
    const r = ahunt('ingest', join(tmp.dir, 'cli-project-2'), corpus, '--catalogue', bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 3: ra "abc" is not a right ascension/);
    expect(r.stderr).not.toMatch(stackTrace);
  });
});
