/**
 * A project that mixes grey (one-band) cutouts with colour ones — what ingesting a folder of
 * assorted FITS files gives (2MASS J/H/K trios beside single images) — still reaches a round:
 * the model sees every cutout in the colour bands, a grey one repeated in each. Mixes that
 * cannot be compared (two sizes, two band sets) are refused with what to do, and the refusal
 * stays in the session's state for a page that connects later.
 */
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { projectImageShape, shapeProblem } from '../../src-main/engine/hunt/images';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { projectServices } from '../../src-main/engine/project-services';
import { insertObject, recordSource } from '../../src-main/engine/store';
import { decodePixelsInto } from '../../src-main/engine/store/image-batches';
import type { Project } from '../../src-main/engine/store/project';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

function addObjects(project: Project, count: number, size: number, bands: number): void {
  const { db } = project;
  const sourceId = recordSource(
    db,
    { path: `/extra-${size}-${bands}`, size: 0, mtimeMs: 0, kind: 'generated' },
    'ingested',
    0,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const px = new Float32Array(size * size * bands).map((_, k) => ((k * 7 + i) % 13) / 13);
      insertObject(db, {
        uid: `extra-${size}-${bands}-${i}`,
        sourceId,
        bands,
        size,
        pixelFormat: 'f32',
        pixels: new Uint8Array(px.buffer),
      });
    }
  })();
}

describe('projects that mix cutout shapes', () => {
  it('repeats a grey cutout in every band of a colour batch', () => {
    const grey = new Float32Array([0.25, 0.5]);
    const out = new Float32Array(6).fill(-1);
    decodePixelsInto('f32', new Uint8Array(grey.buffer), out, 0, 6);
    expect([...out]).toEqual([0.25, 0.25, 0.25, 0.5, 0.5, 0.5]);
    const u8 = new Float32Array(4);
    decodePixelsInto('u8', new Uint8Array([255, 0]), u8, 0, 4);
    expect([...u8]).toEqual([1, 1, 0, 0]);
  });

  it('says which mixes cannot be hunted together, and how to split them', () => {
    expect(
      shapeProblem([
        { size: 16, bands: 1, n: 3 },
        { size: 16, bands: 3, n: 2 },
      ]),
    ).toBeNull();
    expect(
      shapeProblem([
        { size: 16, bands: 1, n: 3 },
        { size: 32, bands: 1, n: 2 },
      ]),
    ).toMatch(/mixes cutout sizes \(3 of 16×16×1, 2 of 32×32×1\).*one --size/);
    expect(
      shapeProblem([
        { size: 16, bands: 3, n: 3 },
        { size: 16, bands: 5, n: 2 },
      ]),
    ).toMatch(/mixes band sets.*project of its own/);
  });

  it('hunts grey and three-band cutouts together, and info reports the mix', async () => {
    const { project } = syntheticProject(tempDir(), 40, 2);
    addObjects(project, 10, 16, 3);
    expect(projectImageShape(project.db)).toEqual({ size: 16, bands: 3 });
    const info = projectServices(project, () => {}).info();
    expect(info.cutouts).toEqual({
      shapes: [
        { size: 16, bands: 1, objects: 40 },
        { size: 16, bands: 3, objects: 10 },
      ],
      problem: null,
    });
    const session = await HuntSession.open(project, createLocalRunner());
    const state = await session.startRound();
    expect(state.round).toMatchObject({ number: 1, phase: 'asking' });
    expect(state.questions.length).toBeGreaterThan(0);
    expect(state.blocker).toBeNull();
    await session.close();
    project.close();
  });

  it('keeps a round that cannot start in the state, with the action that fixes it', async () => {
    const { project } = syntheticProject(tempDir(), 40, 2);
    addObjects(project, 5, 32, 1);
    const events: string[] = [];
    const session = await HuntSession.open(project, createLocalRunner(), (e) => events.push(e));
    session.startRoundSoon();
    await expect.poll(() => session.state().blocker).toMatch(/mixes cutout sizes/);
    expect(events).toContain('engine.error');
    // A page that connects now reads it, with its action, from the state alone.
    const state = session.state();
    expect(state.blockerAction).toBe('retry-round');
    expect(projectServices(project, () => {}).info().cutouts.problem).toMatch(/one --size/);
    await session.close();
    project.close();
  });
});
