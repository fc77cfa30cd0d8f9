import { readdirSync, rmSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempNameFor } from '../export/atomic-write';

/**
 * The files SAMP sends (exports/samp/) are for the peers to load, not for keeping: each
 * cutout sent is a new file, so without pruning they pile up. A peer reads a file when it
 * gets the message, and may still be reading it after we stop waiting for its reply (a
 * large table into a slow TOPCAT), so a file sent within GRACE_MS is never removed, whatever
 * else the rules say. Only names SAMP writes are touched: anything else in the folder is
 * the user's.
 */
export const GRACE_MS = 10 * 60_000;
/** While a project is open: the newest this many files stay... */
export const KEEP_NEWEST = 32;
/** ...if younger than a day. */
export const MAX_AGE_MS = 24 * 3600_000;

/** catalogue.vot, class-3.fits, selection.vot, cutout-12.fits, and their temporary files. */
const OURS = /^(catalogue|selection|class-\d+)\.(vot|fits)$|^cutout-\d+\.fits$/;
const TEMP = /^\.(.+)\.tmp-\d+-[0-9a-f]+$/;

export interface PruneOptions {
  /** Remove everything outside the grace period (the project is closing). */
  all?: boolean;
  now?: number;
  keepNewest?: number;
  maxAgeMs?: number;
  graceMs?: number;
}

/**
 * Writes a file to send without blocking the thread that answers the keyboard (the writes run
 * on libuv's pool), into a temporary name renamed over the target, so a peer never reads half
 * a file. Not fsynced, unlike an export: a sent file is for a peer to read now, not to survive
 * a power cut, and the two fsyncs took 13 ms (36 ms at worst) of the main thread at load 10.
 */
export async function writeSentFile(path: string, bytes: Uint8Array): Promise<void> {
  const temp = tempNameFor(path);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Removes the sent files the rules let go; returns their names. Never throws. */
export function pruneSentFiles(dir: string, options: PruneOptions = {}): string[] {
  const now = options.now ?? Date.now();
  const grace = options.graceMs ?? GRACE_MS;
  const keepNewest = options.all ? 0 : (options.keepNewest ?? KEEP_NEWEST);
  const maxAge = options.maxAgeMs ?? MAX_AGE_MS;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: { name: string; mtimeMs: number }[] = [];
  for (const name of names) {
    const temp = TEMP.exec(name);
    if (!OURS.test(temp ? temp[1]! : name)) continue;
    const info = statSync(join(dir, name), { throwIfNoEntry: false });
    if (info?.isFile()) files.push({ name, mtimeMs: info.mtimeMs });
  }
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const removed: string[] = [];
  let rank = 0;
  for (const file of files) {
    const temp = TEMP.test(file.name);
    const age = now - file.mtimeMs;
    // The newest files are counted whether or not the grace period protects them.
    const newest = !temp && rank++ < keepNewest;
    if (age < grace) continue;
    // A temporary file past the grace period is a write that was killed: never kept.
    if (!temp && newest && age < maxAge) continue;
    try {
      rmSync(join(dir, file.name), { force: true });
      removed.push(file.name);
    } catch {
      // Removed meanwhile, or not ours to remove after all: the next prune tries again.
    }
  }
  return removed;
}
