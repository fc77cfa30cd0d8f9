import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fitsImageBytes } from '../../src-main/engine/demo/write-fits';
import { FitsError, MAX_INFLATED_BYTES, readFitsFile } from '../../src-main/engine/fits';

// Finding 5 of issue 19: a .fits.gz that inflates to gigabytes used to be gunzipped whole
// (4–9 GB of memory for a 4 MB file) before any check. The stream is now inflated only as
// far as the headers announce, within MAX_INFLATED_BYTES.
const tmp = mkdtempSync(join(tmpdir(), 'ahunt-bombs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MiB = 1024 * 1024;
/** One gzip member of 64 MiB of `fill`: ~64 KB. Members concatenate into one gzip stream. */
const member = (fill: number) => gzipSync(Buffer.alloc(64 * MiB, fill), { level: 9 });

/** The stated ceiling: a process reading (or ingesting) a bomb peaks below this. */
const PEAK_MB = 512;

function card(text: string): string {
  return text.padEnd(80);
}

/** A valid 64×64 image followed by 2 GiB of zeros: ~2 MB on disk. */
function trailingZerosBomb(): string {
  const image = fitsImageBytes(new Float32Array(64 * 64).fill(7), 64, 64, []);
  const zeros = member(0);
  const parts = [gzipSync(image)];
  for (let i = 0; i < 32; i++) parts.push(zeros);
  const path = join(tmp, 'trailing-zeros.fits.gz');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** A header announcing a 65536 × 32768 byte image (2 GiB) whose data is all zeros. */
function hugeHeaderBomb(): string {
  const header = [
    card('SIMPLE  =                    T'),
    card('BITPIX  =                    8'),
    card('NAXIS   =                    2'),
    card('NAXIS1  =                65536'),
    card('NAXIS2  =                32768'),
    card('END'),
  ]
    .join('')
    .padEnd(2880);
  const zeros = member(0);
  const parts = [gzipSync(Buffer.from(header, 'latin1'))];
  for (let i = 0; i < 32; i++) parts.push(zeros);
  const path = join(tmp, 'huge-header.fits.gz');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** SIMPLE = T and then 128 MiB of blank cards: a header that never ends. */
function endlessHeaderBomb(): string {
  const blanks = member(32);
  const path = join(tmp, 'endless-header.fits.gz');
  writeFileSync(
    path,
    Buffer.concat([gzipSync(Buffer.from(card('SIMPLE  =                    T'))), blanks, blanks]),
  );
  return path;
}

function readInChild(mode: 'fits' | 'ingest', file: string) {
  const child = fileURLToPath(new URL('./bomb-reader.child.ts', import.meta.url));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', child, mode, file, join(tmp, `project-${mode}-${Math.random()}`)],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as {
    outcome: Record<string, unknown>;
    peakMb: number;
  };
}

describe('decompression bombs', () => {
  const zerosBomb = trailingZerosBomb();
  const headerBomb = hugeHeaderBomb();

  it('reads the image of a file followed by 2 GiB of zeros without inflating them', async () => {
    const fits = await readFitsFile(zerosBomb);
    expect(fits.hdus).toHaveLength(1);
    expect(fits.readImage().data[0]).toBe(7);
  });

  it('refuses a header announcing more than the cap before inflating its data', async () => {
    const failure = await readFitsFile(headerBomb).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FitsError);
    expect((failure as FitsError).code).toBe('too-large');
    expect((failure as FitsError).message).toMatch(
      new RegExp(`HDU 0 announces 2147483648 bytes of data.*past the ${MAX_INFLATED_BYTES} bytes`),
    );
  });

  it('refuses a header that never ends', async () => {
    const failure = await readFitsFile(endlessHeaderBomb()).catch((e: unknown) => e);
    expect((failure as FitsError).code).toBe('no-end');
    expect((failure as FitsError).message).toMatch(/without an END card/);
  });

  it(`keeps ahunt fits under ${PEAK_MB} MB of peak memory on both bombs`, () => {
    const zeros = readInChild('fits', zerosBomb);
    expect(zeros.outcome).toMatchObject({ code: 0, report: { image: { shape: [64, 64] } } });
    expect(zeros.peakMb).toBeLessThan(PEAK_MB);
    const header = readInChild('fits', headerBomb);
    expect(header.outcome.error).toMatch(/announces 2147483648 bytes/);
    expect(header.peakMb).toBeLessThan(PEAK_MB);
  });

  it(`keeps an ingest through a decoding worker under ${PEAK_MB} MB of peak memory`, () => {
    const zeros = readInChild('ingest', zerosBomb);
    expect(zeros.outcome).toMatchObject({ ingested: 1, rejected: 0 });
    expect(zeros.peakMb).toBeLessThan(PEAK_MB);
    const header = readInChild('ingest', headerBomb);
    expect(header.outcome).toMatchObject({ ingested: 0, rejected: 1 });
    expect(JSON.stringify(header.outcome.errors)).toMatch(/announces 2147483648 bytes/);
    expect(header.peakMb).toBeLessThan(PEAK_MB);
  });
});
