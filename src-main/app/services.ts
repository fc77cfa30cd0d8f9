import type { FolderListing, Input, Output } from '../contract/contract';
import type { BackupServices } from '../engine/project-services';
import type { Db } from '../engine/store/open';
import type { WorkspaceServices } from '../engine/workspace';

/**
 * What the app api serves a door: the open project's services (engine/workspace.ts), its
 * backups, and choosing which project is open. The window and the server get a live host's
 * (host.ts); the command line a headless one's (headless.ts), which has no labelling session.
 */
export interface Services extends WorkspaceServices {
  backups: BackupServices;
  /** A headless host's open database (it has no session), to name it when it is damaged. */
  database?: () => Db | undefined;
  projects: {
    open(input: Input<'project.open'>): Promise<Output<'project.open'>>;
    recent(): Output<'project.recent'>;
    listFolder(dir?: string): FolderListing;
  };
}
