import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerDecoder } from '../../src-main/engine/ingest/decoder';
import { EarlyWorkers } from '../../src-main/engine/ingest/early-workers';
import { ingest } from '../../src-main/engine/ingest/ingest';
import type { DecodeSettings } from '../../src-main/engine/ingest/messages';
import { createProject } from '../../src-main/engine/store/project';
import { blob, tempDir, writeFits } from './helpers';

const settings: DecodeSettings = { size: 64, layout: 'auto', hdu: null, catalogue: null };

function fakeStart() {
  const close = vi.fn(async () => {});
  const start = vi
    .spyOn(WorkerDecoder, 'start')
    .mockImplementation(async () => ({ close }) as unknown as WorkerDecoder);
  return { start, close };
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
