import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { PixelData } from '../contract/contract';
import type { WorkspaceServices } from '../api/handlers';
import { exportCatalogue } from './export';
import { exportRegions } from './export/regions';
import { SampLink, type SampLinkOptions } from './samp';
import { decodePixelsInto } from './store/image-batches';
import { ingestService } from './ingest-service';
import { latentMap } from './hunt/latent-map';
import { createWorkerRunner } from './hunt/worker-runner';
import type { ModelRunner } from './hunt/runner';
import { BackgroundCheckpointer } from './store/checkpointer';
import { HuntSession, type EmitFn } from './hunt/session';
import { historyView, objectView } from './hunt/views';
import { ProjectError } from './store/errors';
import { getObject, getPixels } from './store/objects';
import { openProject, type Project } from './store/project';
import { lockProject, type ProjectLock } from './store/project-lock';

export interface Workspace {
  project: Project;
  session: HuntSession;
  services: WorkspaceServices;
  close(): Promise<void>;
}

export interface WorkspaceOptions {
  emit?: EmitFn;
  /** Default: a worker thread, so the doors stay responsive while the model works. */
  runner?: ModelRunner;
  seed?: number;
  /** Open a round as soon as the project has objects (the desktop and the server do). */
  autoStart?: boolean;
  /** Where SAMP looks for a hub, its timeouts (tests point it at their own hub). */
  samp?: SampLinkOptions;
}

/** Opens a project with everything the doors need: the composition root of the engine. */
export async function openWorkspace(
  dir: string,
  options: WorkspaceOptions = {},
): Promise<Workspace> {
  const project = openProject(dir);
  let lock: ProjectLock;
  try {
    lock = lockProject(project.dir);
  } catch (error) {
    project.close();
    throw error;
  }
  const runner = options.runner ?? createWorkerRunner();
  // Labels commit without waiting for the disk; this makes each one power-cut safe within
  // a second, off the thread that answers the keyboard.
  const flusher = BackgroundCheckpointer.start(project.db, { takeOver: false });
  const session = await HuntSession.open(project, runner, options.emit, {
    seed: options.seed ?? 1,
    wrote: () => flusher?.soon(),
  });
  const { db } = project;
  const emit = options.emit ?? (() => {});
  const samp = new SampLink(project, emit, (id) => readPixels(project, id), options.samp);
  const services: Workspace['services'] = {
    session,
    object: (id) => objectView(db, id),
    history: () => historyView(db),
    latentMap: async (input) => latentMap(db, input.method ?? 'pca', input.limit ?? 3000),
    pixels: (objectId) => readPixels(project, objectId),
    ingest: ingestService(project, emit, () => {
      emit('session.changed', session.state());
      session.startRoundSoon();
    }),
    exportCatalogue: async (input) => {
      // A bare file name lands in the project's exports/ folder.
      const out = isAbsolute(input.out) ? input.out : join(project.dir, 'exports', input.out);
      mkdirSync(dirname(out), { recursive: true });
      if (input.format === 'regions') {
        const coords = input.coords ?? 'fk5';
        return exportRegions(project, { out, coords, labelledOnly: input.labelledOnly ?? true });
      }
      return exportCatalogue(project, {
        format: input.format,
        out,
        labelledOnly: input.labelledOnly ?? false,
      });
    },
    samp: {
      status: () => samp.status(),
      connect: () => samp.connect(),
      send: (input) => samp.send(input),
      focus: (objectId) => samp.focus(objectId),
      settings: (input) => samp.settings(input),
    },
  };
  if (options.autoStart) session.startRoundSoon();
  return {
    project,
    session,
    services,
    async close() {
      await samp.close();
      await session.close();
      await flusher?.stop();
      project.close();
      lock.release();
    },
  };
}

function readPixels(project: Project, objectId: number): PixelData {
  const object = getObject(project.db, objectId);
  const stored = getPixels(project.db, objectId);
  if (!object || !stored)
    throw new ProjectError('not-found', `There is no object ${objectId} in this project.`);
  const length = object.size * object.size * object.bands;
  const data = new Float32Array(length);
  decodePixelsInto(stored.format, stored.pixels, data, 0, length);
  return { size: object.size, bands: object.bands, data };
}
