import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EventName, Events } from '../contract/contract';
import type { EmitFn } from '../engine/hunt/session';
import { backupServices, projectServices, type ProjectServices } from '../engine/project-services';
import { listFolder } from '../engine/projects/folders';
import type { SampLinkOptions } from '../engine/samp';
import { ProjectError } from '../engine/store/errors';
import { openProject, type Project } from '../engine/store/project';
import { assertNotInUse, lockProject, type ProjectLock } from '../engine/store/project-lock';
import { beginSnapshot, endSnapshot } from '../engine/store/snapshot';
import type { Services } from './services';
import { prepareProjectFolder, type ProjectFolderMode } from './project-folder';

/**
 * How a headless door uses a project:
 * - read: a read-only connection inside one read transaction, so what it reads is one
 *   consistent snapshot even while a window or `ahunt serve` keeps labelling; no lock.
 * - write: the project is opened and locked, refused while another process has it open.
 * - folder: the database is not opened at all (it may be damaged): backups only. With
 *   `lock`, the project is locked for the whole call (restore).
 */
export type HeadlessAccess =
  | { kind: 'read'; samp?: SampLinkOptions }
  | { kind: 'write'; folder?: ProjectFolderMode; name?: string; doing?: string }
  | { kind: 'folder'; lock: boolean; doing?: string };

export interface HeadlessHost {
  /** The app api's services for this project: what dispatch serves. */
  readonly services: Services;
  readonly dir: string;
  /** True when opening made the project (write with folder create/open-or-create). */
  readonly created: boolean;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  close(): Promise<void>;
}

/**
 * A project opened for one command without a window: the command line's host. Every
 * `ahunt` project command opens one of these and calls the app api's dispatch on it, so it
 * validates, locks and reports errors as the window and the server do.
 */
export function openHeadless(dir: string, access: HeadlessAccess): HeadlessHost {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const emit: EmitFn = <E extends EventName>(event: E, payload: Events[E]) => {
    for (const l of listeners.get(event) ?? []) (l as (p: Events[E]) => void)(payload);
  };
  const folder =
    access.kind === 'write'
      ? prepareProjectFolder(dir, access.folder ?? 'open', access.name)
      : access.kind === 'read'
        ? prepareProjectFolder(dir, 'open')
        : existingFolder(dir);
  let lock: ProjectLock | null = null;
  let project: Project | null = null;
  try {
    if (access.kind === 'write' || (access.kind === 'folder' && access.lock)) {
      // Refused with what this command was about to do, when another process has it open.
      if (access.doing) assertNotInUse(folder.dir, access.doing);
      lock = lockProject(folder.dir);
    }
    if (access.kind === 'write') project = openProject(folder.dir);
    if (access.kind === 'read') {
      project = openProject(folder.dir, { readonly: true });
      beginSnapshot(project.db);
    }
  } catch (error) {
    project?.close();
    lock?.release();
    throw error;
  }
  const opened = project
    ? projectServices(project, emit, undefined, access.kind === 'read' ? access.samp : undefined)
    : null;
  const services = headlessServices(
    folder.dir,
    opened,
    backupServices(folder.dir, { lockHeld: lock !== null }),
  );
  services.database = () => project?.db;
  return {
    services,
    dir: folder.dir,
    created: folder.created,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    async close() {
      await opened?.dispose();
      if (project) {
        endSnapshot(project.db);
        project.close();
      }
      lock?.release();
    },
  };
}

/** A project folder whose database may be damaged or gone: only the folder must be there. */
function existingFolder(dir: string): { dir: string; created: boolean } {
  const root = resolve(dir);
  if (!existsSync(root)) throw new ProjectError('not-found', `${root} does not exist.`);
  return { dir: root, created: false };
}

function headlessServices(
  dir: string,
  opened: ProjectServices | null,
  backups: Services['backups'],
): Services {
  const open = (): ProjectServices => {
    if (opened) return opened;
    throw new ProjectError('invalid', `${dir} is not open for this request.`);
  };
  return {
    get session(): never {
      throw new ProjectError(
        'invalid',
        'Labelling needs a window: open the project with ahunt serve or the desktop app.',
      );
    },
    get ingest() {
      return open().ingest;
    },
    backups,
    info: () => open().info(),
    get samp() {
      return open().samp;
    },
    exportTo: (input) => open().exportTo(input),
    scoreWithModel: (input) => open().scoreWithModel(input),
    importScores: (input) => open().importScores(input),
    latentMap: (input) => open().latentMap(input),
    history: () => open().history(),
    object: (id) => open().object(id),
    pixels: (id) => open().pixels(id),
    findObjects: (input) => open().findObjects(input),
    annotate: (input) => open().annotate(input),
    projects: {
      open: () => {
        throw new ProjectError('invalid', 'A headless host serves one project; it cannot switch.');
      },
      recent: () => ({ current: dir, projects: [] }),
      listFolder: (d) => listFolder(d),
    },
  };
}
