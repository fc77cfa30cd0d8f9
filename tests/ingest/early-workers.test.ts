import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { availableParallelism } from 'node:os';
import { defaultWorkerCount, WorkerDecoder } from '../../src-main/engine/ingest/decoder';
import { EarlyWorkers } from '../../src-main/engine/ingest/early-workers';
import { ingest } from '../../src-main/engine/ingest/ingest';
import type { DecodeSettings } from '../../src-main/engine/ingest/messages';
import { createProject } from '../../src-main/engine/store/project';
import { blob, tempDir, writeFits } from './helpers';

const settings: DecodeSettings = { size: 64, layout: 'auto', hdu: null, catalogue: null };

function fakeStart() {
  const close = vi.fn(async () => {});
  const grow = vi.fn(async () => {});
  const start = vi
    .spyOn(WorkerDecoder, 'start')
    .mockImplementation(async () => ({ close, grow }) as unknown as WorkerDecoder);
  return { start, close, grow };
}

describe('threads started during the scan', () => {
  let cleanup = () => {};
  afterEach(() => {
    vi.restoreAllMocks();
    cleanup();
  });

  it('are closed when ingest fails after starting them (a later path is missing)', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    for (let i = 0; i < 50; i++) writeFits(join(t.dir, 'survey', `c${i}.fits`), 16, 16, blob(i));
    const { start, close } = fakeStart();
    const project = createProject(join(t.dir, 'project'));
    try {
      await expect(
        ingest(project, [join(t.dir, 'survey'), join(t.dir, 'missing')], { workers: 2 }),
      ).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      project.close();
    }
    expect(start).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('are started once and handed over when the run wants as many', async () => {
    const { start, close } = fakeStart();
    const early = new EarlyWorkers(2);
    early.start(settings);
    early.start(settings);
    expect(start).toHaveBeenCalledTimes(1);
    expect(start).toHaveBeenCalledWith(settings, 2);
    expect(await early.take(2)).not.toBeNull();
    expect(await early.take(-1)).toBeNull(); // already handed over: nothing left to close
    expect(close).not.toHaveBeenCalled();
  });

  it('are added to, not started again, when the run wants more (JPEGs, not FITS)', async () => {
    const { start, close, grow } = fakeStart();
    const early = new EarlyWorkers(1);
    early.start(settings);
    const taken = await early.take(2);
    expect(taken).not.toBeNull();
    expect(grow).toHaveBeenCalledWith(1);
    expect(start).toHaveBeenCalledTimes(1);
    expect(close).not.toHaveBeenCalled();
  });

  it('are closed when the run ends up not using them', async () => {
    const { close } = fakeStart();
    const early = new EarlyWorkers(2);
    early.start(settings);
    expect(await early.take(0)).toBeNull(); // a small run decodes on the calling thread
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('are never started for a run told to decode on the calling thread', async () => {
    const { start } = fakeStart();
    const early = new EarlyWorkers(0);
    early.start(settings);
    expect(start).not.toHaveBeenCalled();
    expect(await early.take(0)).toBeNull();
  });
});

describe('decoding threads for a run', () => {
  let cleanup = () => {};
  afterEach(() => {
    vi.restoreAllMocks();
    cleanup();
  });

  it('leave the writing thread a core for FITS, and take every core for JPEG/PNG', () => {
    const cores = availableParallelism();
    expect(defaultWorkerCount('fits')).toBe(Math.max(1, cores - 1));
    expect(defaultWorkerCount('image')).toBe(cores);
  });

  it('are as many as the files listed call for, in a real run', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    for (let i = 0; i < 50; i++) writeFits(join(t.dir, 'fits', `c${i}.fits`), 16, 16, blob(i));
    mkdirSync(join(t.dir, 'png'));
    for (let i = 0; i < 50; i++) {
      const background = { r: i, g: 2 * i, b: 3 * i };
      await sharp({ create: { width: 16, height: 16, channels: 3, background } })
        .png()
        .toFile(join(t.dir, 'png', `c${i}.png`));
    }
    const start = vi.spyOn(WorkerDecoder, 'start');
    const grow = vi.spyOn(WorkerDecoder.prototype, 'grow');
    for (const folder of ['fits', 'png']) {
      const project = createProject(join(t.dir, `project-${folder}`));
      try {
        const summary = await ingest(project, [join(t.dir, folder)], { size: 16 });
        expect(summary.ingested).toBe(50);
      } finally {
        project.close();
      }
    }
    const fits = defaultWorkerCount('fits');
    expect(start.mock.calls.map((call) => call[1])).toEqual([fits, fits]);
    // The PNG run's threads were started for FITS during the scan, then added to.
    const added = defaultWorkerCount('image') - fits;
    expect(grow.mock.calls).toEqual(added > 0 ? [[added]] : []);
  });
});
