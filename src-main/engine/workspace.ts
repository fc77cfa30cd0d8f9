import { createWorkerRunner } from './hunt/worker-runner';
import type { ModelRunner } from './hunt/runner';
import { BackgroundCheckpointer } from './store/checkpointer';
import { HuntSession, type EmitFn } from './hunt/session';
import { projectServices, type ProjectServices } from './project-services';
import { openProject, type Project } from './store/project';
import { lockProject, type ProjectLock } from './store/project-lock';

/** What one open project offers a window or a server: its services plus the labelling session. */
export interface WorkspaceServices extends ProjectServices {
  session: HuntSession;
}

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
}

/** Opens and locks a project with everything a hunting door needs: the engine's composition root. */
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
  const emit = options.emit ?? (() => {});
  const services: WorkspaceServices = {
    ...projectServices(project, emit, () => {
      emit('session.changed', session.state());
      session.startRoundSoon();
    }),
    session,
  };
  if (options.autoStart) session.startRoundSoon();
  return {
    project,
    session,
    services,
    async close() {
      await session.close();
      await flusher?.stop();
      project.close();
      lock.release();
    },
  };
}
