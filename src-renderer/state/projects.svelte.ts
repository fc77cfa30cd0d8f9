/// <reference types="svelte" />
/**
 * Choosing which project is open: the recent list, a folder browser (the browser door has
 * no native dialog, and the desktop one should not need it), and open / create. The switch
 * itself arrives as the engine's project.changed event, which AppState handles for every door.
 */
import type {
  AhuntApi,
  ApiError,
  FolderListing,
  RecentProject,
} from '../../src-main/contract/contract';
import { FolderBrowsing } from './folder-browsing.svelte';
import { makeRequester, type Requester } from './requester';

const FOLDER_PROBLEMS = new Set([
  'not-found',
  'not-a-project',
  'already-a-project',
  'conflict',
  'damaged',
  'from-the-future',
  'invalid',
]);

export class ProjectsStore {
  recent = $state<RecentProject[]>([]);
  current = $state('');
  /** The folder typed or chosen; open and create act on it. */
  path = $state('');
  /** Set while a project opens (a large one takes a moment to close and open). */
  opening = $state(false);
  /** Why the last open, create or browse failed, shown beside the form. */
  problem = $state<string | null>(null);
  private readonly request: Requester;
  private readonly folders: FolderBrowsing;

  constructor(api: AhuntApi, report: (error: ApiError) => void) {
    // Problems with a folder or its database are the user's to act on in this form (choose
    // another folder, restore a backup, update the app): shown inline, not as toasts.
    this.request = makeRequester(api, (error) => {
      if (FOLDER_PROBLEMS.has(error.code)) this.problem = error.message;
      else report(error);
    });
    this.folders = new FolderBrowsing(this.request);
  }

  get listing(): FolderListing | null {
    return this.folders.listing;
  }

  /** The recent list, and the browser opened beside the current project. */
  async load(): Promise<void> {
    const recent = await this.request('project.recent', {});
    if (!recent) return;
    this.recent = recent.projects;
    this.current = recent.current;
    if (!this.listing) await this.browse(parentOf(recent.current));
  }

  async browse(dir?: string): Promise<void> {
    const listing = await this.folders.browse(dir);
    if (!listing) return;
    this.problem = null;
    this.path = listing.dir;
  }

  /** Opens the folder in `path` when it holds a project, else lists it. */
  async go(): Promise<void> {
    const dir = this.path.trim();
    if (!dir) return;
    const listing = await this.folders.browse(dir);
    if (!listing) return;
    this.problem = null;
    if (listing.isProject) await this.open(listing.dir);
  }

  async open(dir: string, create = false, name?: string): Promise<boolean> {
    this.opening = true;
    this.problem = null;
    const input = { dir, ...(create ? { create } : {}), ...(name?.trim() ? { name } : {}) };
    const opened = await this.request('project.open', input);
    this.opening = false;
    return opened !== null;
  }

  /** After a switch (from here, a menu, or another tab): the list and the browser follow. */
  async followSwitch(): Promise<void> {
    this.folders.listing = null;
    await this.load();
  }
}

function parentOf(dir: string): string | undefined {
  const cut = dir.replace(/[\\/]+$/, '').search(/[\\/][^\\/]*$/);
  return cut > 0 ? dir.slice(0, cut) : undefined;
}
