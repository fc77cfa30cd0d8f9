/** The files SAMP sends do not pile up, and a file a peer may still be reading is never removed. */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SampLink } from '../../src-main/engine/samp';
import { GRACE_MS, pruneSentFiles, writeSentFile } from '../../src-main/engine/samp/sent-files';
import { tempDir } from '../store/helpers';
import { skyProject } from './helpers';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Writes `name` in `dir` as if sent `ageMs` ago. */
function sent(dir: string, name: string, ageMs: number, now = Date.now()): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), 'x');
  const at = new Date(now - ageMs);
  utimesSync(join(dir, name), at, at);
}

describe('pruning the files SAMP sent', () => {
  it('keeps the newest files younger than a day, removes the rest, and leaves foreign files alone', () => {
    const dir = tempDir('ahunt-samp-sent-');
    const now = Date.now();
    for (let i = 0; i < 5; i++) sent(dir, `cutout-${i}.fits`, (i + 1) * HOUR, now);
    sent(dir, 'catalogue.vot', 30 * HOUR, now); // older than a day
    sent(dir, 'notes.txt', 90 * HOUR, now); // the user's
    sent(dir, 'cutout-old.fits', 90 * HOUR, now); // not a name we write
    const removed = pruneSentFiles(dir, { now, keepNewest: 3 });
    expect(removed.sort()).toEqual(['catalogue.vot', 'cutout-3.fits', 'cutout-4.fits']);
    expect(readdirSync(dir).sort()).toEqual([
      'cutout-0.fits',
      'cutout-1.fits',
      'cutout-2.fits',
      'cutout-old.fits',
      'notes.txt',
    ]);
  });

  it('never removes a file sent within the grace period, even when it is not among the newest', () => {
    const dir = tempDir('ahunt-samp-sent-');
    const now = Date.now();
    sent(dir, 'class-2.fits', GRACE_MS - MINUTE, now);
    sent(dir, 'cutout-1.fits', MINUTE, now);
    sent(dir, 'cutout-2.fits', 0, now);
    expect(pruneSentFiles(dir, { now, keepNewest: 1 })).toEqual([]);
    expect(pruneSentFiles(dir, { now, all: true })).toEqual([]);
    // Two minutes on, the first is past the grace period: closing removes it alone.
    expect(pruneSentFiles(dir, { now: now + 2 * MINUTE, all: true })).toEqual(['class-2.fits']);
  });

  it('removes the temporary file of a write that was killed, once past the grace period', () => {
    const dir = tempDir('ahunt-samp-sent-');
    const now = Date.now();
    sent(dir, '.catalogue.vot.tmp-123-0badc0de', 2 * GRACE_MS, now);
    sent(dir, '.cutout-4.fits.tmp-123-0badc0de', MINUTE, now); // being written now
    expect(pruneSentFiles(dir, { now })).toEqual(['.catalogue.vot.tmp-123-0badc0de']);
    expect(pruneSentFiles(join(dir, 'missing'))).toEqual([]);
  });

  it('a file to send is written off the main thread and replaces the old one whole, leaving no temporary file', async () => {
    const dir = tempDir('ahunt-samp-sent-');
    const path = join(dir, 'cutout-3.fits');
    writeFileSync(path, 'old');
    await writeSentFile(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['cutout-3.fits']);
    await expect(writeSentFile(join(dir, 'missing', 'x.fits'), new Uint8Array(1))).rejects.toThrow(
      /ENOENT/,
    );
    expect(readdirSync(dir)).toEqual(['cutout-3.fits']);
  });

  it('closing the project removes what was sent before, but not the file just sent', async () => {
    const dir = tempDir('ahunt-samp-sent-');
    const { project } = skyProject(join(dir, 'project'), 2);
    const out = join(dir, 'sent');
    sent(out, 'catalogue.fits', 2 * HOUR);
    sent(out, 'cutout-7.fits', GRACE_MS + MINUTE);
    sent(out, 'cutout-8.fits', 0); // a peer may still be reading it
    const link = new SampLink(
      project,
      () => {},
      () => ({ size: 1, bands: 1, data: new Float32Array(1) }),
      { outDir: out, discovery: { sampHub: `std-lockurl:file://${join(dir, 'no-hub')}` } },
    );
    link.status(); // starts the client, as a window does
    await link.close();
    expect(readdirSync(out)).toEqual(['cutout-8.fits']);
    expect(existsSync(join(out, 'catalogue.fits'))).toBe(false);
    project.close();
  });
});
