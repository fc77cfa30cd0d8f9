import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from '../../src-main/cli/printable';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/command';
import { fitsImageBytes } from '../../src-main/engine/demo/write-fits';
import { blob, tempDir, writeFits } from './helpers';

// Finding 7 of issue 19 (the ingest and FITS parts): EXTNAMEs holding a quote, file names
// holding terminal escape codes, and the exit code of a run that ingested nothing.
const tmp = tempDir();
afterAll(tmp.cleanup);
let projects = 0;
const projectDir = () => join(tmp.dir, `project-${++projects}`);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ESC = '\u001b';

describe("an EXTNAME with a quote (written it''s)", () => {
  const file = join(tmp.dir, 'quoted.fits');
  writeFileSync(
    file,
    fitsImageBytes(new Float32Array(32 * 32).fill(1), 32, 32, [{ key: 'EXTNAME', value: "it's" }]),
  );

  it('is listed unescaped and selected by --hdu in ahunt fits and ahunt ingest', async () => {
    const fits = await run('fits', file, '--hdu', "it's", '--json');
    expect(fits.code).toBe(0);
    const report = JSON.parse(fits.out) as { hdus: { extname: string }[]; image: { hdu: number } };
    expect(report.hdus[0]!.extname).toBe("it's");
    expect(report.image.hdu).toBe(0);
    expect((await run('fits', file, '--hdu', "IT'S", '--json')).code).toBe(0);
    const ingest = await run('ingest', projectDir(), file, '--hdu', "it's", '--size', '32');
    expect(ingest.code).toBe(0);
    expect(ingest.out).toMatch(/Ingested 1 files \(1 objects\)/);
  });
});

describe('names with terminal escape codes', () => {
  const evil = `red${ESC}[31m${ESC}]0;owned\u0007${ESC}[2J`;

  it('are shown as codes by the helper, everything else unchanged', () => {
    expect(printable(`a${ESC}[31mb\u0007c\u202ed é ✓`)).toBe('a\\x1b[31mb\\x07c\\u202ed é ✓');
  });

  it('are printed as codes by ahunt fits and in its errors', async () => {
    const dir = join(tmp.dir, 'evil-fits');
    const file = writeFits(join(dir, `${evil}.fits`), 32, 32, blob(1));
    const ok = await run('fits', file);
    expect(ok.code).toBe(0);
    expect(ok.out).not.toContain(ESC);
    expect(ok.out).toContain('red\\x1b[31m\\x1b]0;owned\\x07\\x1b[2J.fits');
    const missing = await run('fits', join(dir, `gone${evil}.fits`));
    expect(missing.code).toBe(1);
    expect(missing.err).not.toContain(ESC);
    expect(missing.err).toContain('gonered\\x1b[31m');
  });

  it('are printed as codes in the ingest summary', async () => {
    const dir = join(tmp.dir, 'evil-ingest');
    mkdirSync(dir);
    writeFits(join(dir, 'good.fits'), 32, 32, blob(2));
    writeFileSync(join(dir, `${evil}.fits`), 'not a FITS file');
    const r = await run('ingest', projectDir(), dir, '--size', '32', '--workers', '0');
    expect(r.code).toBe(0);
    expect(r.out + r.err).not.toContain(ESC);
    expect(r.out).toContain('red\\x1b[31m');
  });
});

describe('the exit code of ahunt ingest', () => {
  const bad = join(tmp.dir, 'all-bad');
  mkdirSync(bad);
  writeFileSync(join(bad, 'a.fits'), 'not FITS');
  writeFileSync(join(bad, 'b.fits'), 'not FITS either');
  const mixed = join(tmp.dir, 'mixed');
  mkdirSync(mixed);
  writeFits(join(mixed, 'good.fits'), 32, 32, blob(3));
  writeFileSync(join(mixed, 'bad.fits'), 'not FITS');

  it('is 1, with a sentence, when every file was rejected', async () => {
    for (const json of [[], ['--json']]) {
      const r = await run('ingest', projectDir(), bad, '--size', '32', ...json);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/all 2 files were rejected and nothing was ingested/);
    }
  });

  it('is 0 when some files were ingested or skipped beside rejected ones', async () => {
    const dir = projectDir();
    const first = await run('ingest', dir, mixed, '--size', '32');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Ingested 1 files .* 1 rejected/);
    const again = await run('ingest', dir, mixed, '--size', '32');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/1 skipped as already ingested, 1 rejected/);
  });
});
