/// <reference types="svelte" />
/** The folder a FolderBrowser shows, for whichever view browses (projects, ingest). */
import type { FolderListing } from '../../src-main/contract/contract';
import type { Requester } from './requester';

export class FolderBrowsing {
  listing = $state<FolderListing | null>(null);

  constructor(private readonly request: Requester) {}

  /** Lists `dir` (default: the home folder); null, and the listing kept, when it cannot. */
  async browse(dir?: string): Promise<FolderListing | null> {
    const listing = await this.request('folder.list', dir ? { dir } : {});
    if (listing) this.listing = listing;
    return listing;
  }
}
