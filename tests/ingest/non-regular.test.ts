import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitsCommand } from '../../src-main/cli/commands/fits';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { createProject } from '../../src-main/engine/store/project';
import { blob, tempDir, writeFits } from './helpers';

// Finding 5 of issue 19: `ahunt fits` on a link to /dev/zero grew to 15 GB and on a FIFO it
// hung. Every reader of a user's file refuses what is not a regular file, saying what it is.
const tmp = tempDir();
afterAll(tmp.cleanup);
let projects = 0;
const newProject = () => createProject(join(tmp.dir, `project-${++projects}`));

function fifo(name: string): string {
  const path = join(tmp.dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
}

function link(name: string, target: string): string {
  const path = join(tmp.dir, name);
  symlinkSync(target, path);
  return path;
}

const io = { out: () => {}, err: () => {}, interactive: false };

describe('files that are not regular files', () => {
  it('ahunt fits refuses a named pipe at once instead of hanging', async () => {
    await expect(fitsCommand.run([fifo('pipe.fits')], io)).rejects.toThrow(
      /is a named pipe \(FIFO\), not a regular file/,
    );
  });

  it('ahunt fits refuses a link to /dev/zero instead of reading it forever', async () => {
    await expect(fitsCommand.run([link('zero.fits', '/dev/zero')], io)).rejects.toThrow(
      /is a character device, not a regular file/,
    );
  });

  it('ahunt fits reads no more of a /proc-like file than the size it reports', async () => {
    await expect(fitsCommand.run(['/proc/self/status'], io)).rejects.toThrow(
      /holds more than the 0 bytes it reported/,
    );
  });

  it('ingest reports a pipe and a device with survey names in a folder, and goes on', async () => {
    const dir = join(tmp.dir, 'survey');
    mkdirSync(dir);
    writeFits(join(dir, 'good.fits'), 32, 32, blob(1));
    spawnSync('mkfifo', [join(dir, 'pipe.fits')]);
    symlinkSync('/dev/zero', join(dir, 'zero.fits'));
    const s = await ingest(newProject(), [dir], { workers: 0, size: 32 });
    expect(s).toMatchObject({ ingested: 1, rejected: 2 });
    const reasons = Object.fromEntries(s.errors.map((e) => [e.path.split('/').pop(), e.reason]));
    expect(reasons['pipe.fits']).toMatch(/is a named pipe \(FIFO\), not a regular file/);
    expect(reasons['zero.fits']).toMatch(/is a character device, not a regular file/);
  });

  it('ingest refuses a catalogue or labels file that is a pipe or a device', async () => {
    const dir = join(tmp.dir, 'one');
    mkdirSync(dir);
    copyFileSync(writeFits(join(tmp.dir, 'frame.fits'), 32, 32, blob(2)), join(dir, 'f.fits'));
    await expect(
      ingest(newProject(), [dir], { workers: 0, catalogue: { path: fifo('cat.csv') } }),
    ).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/^The catalogue .*cat\.csv is a named pipe \(FIFO\)/),
    });
    await expect(
      ingest(newProject(), [dir], { workers: 0, labels: { path: '/dev/zero' } }),
    ).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/^The labels file \/dev\/zero is a character device/),
    });
  });
});
