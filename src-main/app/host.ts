import { resolve } from 'node:path';
import type { EventName, Events, ProjectOpened } from '../contract/contract';
import type { ModelRunner } from '../engine/hunt/runner';
import type { EmitFn } from '../engine/hunt/session';
import { backupServices } from '../engine/project-services';
import { listFolder } from '../engine/projects/folders';
import { RecentProjects } from '../engine/projects/recent-projects';
import { ProjectError } from '../engine/store/errors';
import { getMeta } from '../engine/store/settings';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../engine/workspace';
import { prepareProjectFolder } from './project-folder';
import type { Services } from './services';

export interface HostOptions extends Omit<WorkspaceOptions, 'emit' | 'runner'> {
  emit?: EmitFn;
  /** A model runner for each project opened (a closed project disposes of its own). */
  makeRunner?: () => ModelRunner;
  /** The app's list of recently opened projects (a JSON file outside every project). */
  recentFile: string;
}

/**
 * The one open project behind a window or a server, and the switch to another. Doors hold `services`, whose
 * members always reach the project open now, so the server and the IPC handlers never see a
 * project change; the renderer learns of it from the `project.changed` event. Events of a
 * project that is being closed are dropped: they would describe the wrong project.
 */
export class ProjectHost {
  readonly services: Services;
  private current: Workspace;
  private generation = 0;
  private switching: Promise<unknown> = Promise.resolve();
  private readonly recentProjects: RecentProjects;
  private readonly emit: EmitFn;

  private constructor(
    first: Workspace,
    private readonly options: HostOptions,
  ) {
    this.current = first;
    this.emit = options.emit ?? (() => {});
    this.recentProjects = new RecentProjects(options.recentFile);
    this.services = this.liveServices();
    this.remember(first);
  }

  /** Opens the first project; its errors (missing, damaged, newer) reach the caller as they are. */
  static async start(dir: string, options: HostOptions): Promise<ProjectHost> {
    let host: ProjectHost | null = null;
    const first = await openGated(dir, options, options.emit, () => host?.generation === 0);
    host = new ProjectHost(first, options);
    return host;
  }

  get workspace(): Workspace {
    return this.current;
  }

  /** Opens (or creates) a project and makes it the current one; one switch at a time. */
  open(dir: string, options: { create?: boolean; name?: string } = {}): Promise<ProjectOpened> {
    const next = this.switching.then(() => this.switchTo(resolve(dir), options));
    this.switching = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    await this.switching;
    this.generation += 1;
    await this.current.close();
  }

  private async switchTo(
    dir: string,
    options: { create?: boolean; name?: string },
  ): Promise<ProjectOpened> {
    prepareProjectFolder(dir, options.create ? 'create' : 'open', options.name);
    if (dir === this.current.project.dir) {
      this.remember(this.current);
      return this.describe(this.current, false);
    }
    const previous = this.current;
    if (previous.services.ingest.running()) {
      throw new ProjectError(
        'conflict',
        `An ingest is still writing into ${previous.project.dir}: wait for it or cancel it (Ingest view) before opening another project.`,
      );
    }
    const generation = this.generation + 1;
    const opened = await openGated(
      dir,
      this.options,
      this.emit,
      () => this.generation === generation,
    );
    // The old project's training stops here; its round waits, answers intact, for its return.
    previous.session.cancelTraining();
    this.generation = generation;
    this.current = opened;
    await previous.close();
    this.remember(opened);
    const described = this.describe(opened, options.create === true);
    this.emit('project.changed', { dir: described.dir, name: described.name });
    return described;
  }

  private describe(w: Workspace, created: boolean): ProjectOpened {
    const state = w.session.state();
    return {
      name: state.project.name,
      dir: w.project.dir,
      objects: state.project.objects,
      created,
    };
  }

  private remember(w: Workspace): void {
    this.recentProjects.remember(w.project.dir, getMeta(w.project.db, 'name') ?? w.project.dir);
  }

  /** Services whose every member is looked up on the project open at the time of the call. */
  private liveServices(): Services {
    const now = () => this.current.services;
    const dir = () => this.current.project.dir;
    return {
      get session() {
        return now().session;
      },
      get ingest() {
        return now().ingest;
      },
      get backups() {
        return backupServices(dir());
      },
      info: () => now().info(),
      exportTo: (input) => now().exportTo(input),
      scoreWithModel: (input) => now().scoreWithModel(input),
      importScores: (input) => now().importScores(input),
      latentMap: (input) => now().latentMap(input),
      history: () => now().history(),
      object: (id) => now().object(id),
      pixels: (id) => now().pixels(id),
      findObjects: (input) => now().findObjects(input),
      annotate: (input) => now().annotate(input),
      get samp() {
        return now().samp;
      },
      projects: {
        open: (input) => this.open(input.dir, input),
        recent: () => ({ current: this.current.project.dir, projects: this.recentProjects.list() }),
        listFolder: (dir) => listFolder(dir),
      },
    };
  }
}

/** Opens a workspace whose events reach the doors only while `isCurrent()` says it is open. */
function openGated(
  dir: string,
  options: HostOptions,
  emit: EmitFn | undefined,
  isCurrent: () => boolean,
): Promise<Workspace> {
  const { makeRunner, autoStart, seed } = options;
  const workspace: WorkspaceOptions = {
    ...(makeRunner ? { runner: makeRunner() } : {}),
    ...(autoStart !== undefined ? { autoStart } : {}),
    ...(seed !== undefined ? { seed } : {}),
    emit: <E extends EventName>(event: E, payload: Events[E]) => {
      if (isCurrent()) emit?.(event, payload);
    },
  };
  return openWorkspace(dir, workspace);
}
