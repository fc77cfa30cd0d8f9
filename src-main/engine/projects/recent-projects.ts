import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RecentProject } from '../../contract/contract';
import { isProject } from '../store/project';

type Remembered = Omit<RecentProject, 'available'>;

/** How many projects the list keeps: enough for a working week, short enough to scan. */
const KEPT = 12;

/**
 * The projects this person opened, newest first, kept in a small JSON file of the app's own
 * (not in any project). A missing or unreadable file is an empty list: losing it loses only
 * shortcuts, so it must never stop the app from starting.
 */
export class RecentProjects {
  constructor(private readonly file: string) {}

  list(): RecentProject[] {
    return this.read().map((p) => ({ ...p, available: isProject(p.dir) }));
  }

  remember(dir: string, name: string, at = new Date()): void {
    const kept = this.read().filter((p) => p.dir !== dir);
    kept.unshift({ dir, name, openedAt: at.toISOString() });
    const text = JSON.stringify({ projects: kept.slice(0, KEPT) }, null, 2);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      // Written beside and renamed, so a crash leaves the old list or the new one.
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, text);
      renameSync(temp, this.file);
    } catch {
      // A read-only home folder costs the shortcut, not the project that was just opened.
    }
  }

  private read(): Remembered[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return [];
    }
    const projects = (parsed as { projects?: unknown })?.projects;
    if (!Array.isArray(projects)) return [];
    return projects.filter(
      (p): p is Remembered =>
        typeof p?.dir === 'string' &&
        typeof p?.name === 'string' &&
        typeof p?.openedAt === 'string',
    );
  }
}
