/** Folder listings for choosing a project or survey data where no native dialog exists. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFolder } from '../../src-main/engine/projects/folders';
import { RecentProjects } from '../../src-main/engine/projects/recent-projects';
import { createProject } from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';

describe('listFolder', () => {
  it('lists folders first (projects marked), then survey files, hidden and other files left out', () => {
    const root = tempDir();
    mkdirSync(join(root, 'raw'));
    mkdirSync(join(root, '.cache'));
    createProject(join(root, 'hunt-2026')).close();
    writeFileSync(join(root, 'frame.fits.fz'), '');
    writeFileSync(join(root, 'b.png'), '');
    writeFileSync(join(root, 'notes.txt'), '');
    writeFileSync(join(root, '.hidden.fits'), '');
    symlinkSync(join(root, 'raw'), join(root, 'linked'));
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    const listing = listFolder(root);
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['hunt-2026', 'project'],
      ['linked', 'folder'],
      ['raw', 'folder'],
      ['b.png', 'survey'],
      ['frame.fits.fz', 'survey'],
    ]);
    expect(listing.otherFiles).toBe(2); // notes.txt and the dangling link
    expect(listing.isProject).toBe(false);
    expect(listing.parent).toBe(join(root, '..'));
    expect(listFolder(join(root, 'hunt-2026')).isProject).toBe(true);
    expect(listFolder('/').parent).toBeNull();
  });

  it('explains a folder it cannot list', () => {
    const root = tempDir();
    writeFileSync(join(root, 'a.fits'), '');
    expect(() => listFolder(join(root, 'missing'))).toThrow(/missing does not exist/);
    expect(() => listFolder(join(root, 'a.fits'))).toThrow(/is a file, not a folder/);
  });
});

describe('RecentProjects', () => {
  it('keeps the newest first, once each, at most twelve, and marks the ones gone', () => {
    const root = tempDir();
    const recent = new RecentProjects(join(root, 'config', 'recent.json'));
    const live = join(root, 'live');
    createProject(live).close();
    for (let i = 0; i < 14; i++) recent.remember(join(root, `p${i}`), `p${i}`);
    recent.remember(live, 'live');
    recent.remember(join(root, 'p13'), 'p13');
    const list = recent.list();
    expect(list).toHaveLength(12);
    expect(list.slice(0, 3).map((p) => p.name)).toEqual(['p13', 'live', 'p12']);
    expect(list.map((p) => p.available).slice(0, 2)).toEqual([false, true]);
  });

  it('treats an unreadable list as empty rather than failing', () => {
    const root = tempDir();
    const file = join(root, 'recent.json');
    writeFileSync(file, '{ not json');
    expect(new RecentProjects(file).list()).toEqual([]);
    writeFileSync(
      file,
      JSON.stringify({ projects: [{ dir: 3 }, { dir: '/x', name: 'x', openedAt: 't' }] }),
    );
    expect(new RecentProjects(file).list().map((p) => p.dir)).toEqual(['/x']);
  });
});

describe('creating a project where no folder can be made', () => {
  it('says so in a sentence instead of an internal error', () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), '');
    expect(() => createProject(join(root, 'file', 'inside'))).toThrow(
      /inside cannot be created \(ENOTDIR\): choose a folder you can write to/,
    );
  });
});
