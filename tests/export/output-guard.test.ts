/**
 * Issue #19, finding 1: no write of ours may land on the project's own files. Every export
 * (catalogue, history, model) from every door goes through one check, which sees through
 * `..`, symbolic links and hard links.
 */
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import { dispatch } from '../../src-main/app/dispatch';
import { exportCatalogue, exportHistory, exportModel } from '../../src-main/engine/export';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { ProjectHost } from '../../src-main/app/host';
import { recordSource } from '../../src-main/engine/store';
import { openProject, type Project } from '../../src-main/engine/store/project';
import { livedProject, removeTempDirs, tempDir, type Fixture } from './helpers';

afterAll(removeTempDirs);

function quietIo() {
  const lines: string[] = [];
  return {
    lines,
    out: (t: string) => lines.push(t),
    err: (t: string) => lines.push(t),
    interactive: false,
  };
}

function dbBytes(dir: string): Buffer {
  return readFileSync(join(dir, 'ahunt.sqlite'));
}

function intact(dir: string, labelled: number): void {
  const project = openProject(dir, { readonly: true });
  try {
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = project.db.prepare('SELECT count(*) AS n FROM object_labels').get() as { n: number };
    expect(n.n).toBe(labelled);
  } finally {
    project.close();
  }
}

describe('exports never land on the project', () => {
  let f: Fixture;
  let project: Project;
  let labelled: number;
  let source: string;

  beforeAll(async () => {
    f = await livedProject();
    project = f.project;
    labelled = (
      project.db.prepare('SELECT count(*) AS n FROM object_labels').get() as { n: number }
    ).n;
    // A real source file the project knows, in a folder of its own.
    const data = join(tempDir(), 'night1');
    mkdirSync(data, { recursive: true });
    source = join(data, 'frame.fits');
    writeFileSync(source, 'pixels');
    recordSource(project.db, { path: source, size: 6, mtimeMs: 1, kind: 'fits' }, 'ingested', 0);
    mkdirSync(join(f.dir, 'backups'), { recursive: true });
  });

  it('refuses every spelling of the database, its companions, the lock and backups', () => {
    const before = dbBytes(f.dir);
    const alias = join(tempDir(), 'alias');
    symlinkSync(f.dir, alias);
    const hardLink = join(tempDir(), 'hard.csv');
    linkSync(join(f.dir, 'ahunt.sqlite'), hardLink);
    const link = join(tempDir(), 'link.csv');
    symlinkSync(join(f.dir, 'ahunt.sqlite'), link);
    const targets = [
      join(f.dir, 'ahunt.sqlite'),
      join(f.dir, 'exports', '..', 'ahunt.sqlite'),
      join(f.dir, 'ahunt.sqlite-wal'),
      join(f.dir, 'ahunt.sqlite-shm'),
      join(f.dir, 'ahunt.lock'),
      join(f.dir, 'backups', 'x.csv'),
      join(alias, 'ahunt.sqlite'),
      hardLink,
      link,
      source,
    ];
    for (const out of targets) {
      expect(
        () => exportCatalogue(project, { format: 'csv', out, labelledOnly: false }),
        out,
      ).toThrow(/Refusing to write/);
      expect(() => exportHistory(project, out), out).toThrow(/Refusing to write/);
    }
    expect(dbBytes(f.dir).equals(before)).toBe(true);
    // An ordinary target still works.
    expect(
      exportCatalogue(project, {
        format: 'csv',
        out: join(tempDir(), 'ok.csv'),
        labelledOnly: false,
      }).rows,
    ).toBeGreaterThan(0);
  });

  it('refuses a model folder that is, or holds, the project or its sources', async () => {
    for (const dir of [f.dir, join(f.dir, '..'), join(source, '..'), join(f.dir, 'backups', 'm')]) {
      await expect(exportModel(project, dir), dir).rejects.toThrow(/Refusing to write/);
    }
    intact(f.dir, labelled);
  });

  it('the command line refuses with exit 1 and a sentence', async () => {
    project.close();
    try {
      const io = quietIo();
      const code = await main(
        ['export', f.dir, '--format', 'csv', '--out', join(f.dir, 'ahunt.sqlite')],
        io,
      );
      expect(code).toBe(1);
      expect(io.lines.join('\n')).toMatch(/Refusing to write .*database/);
      intact(f.dir, labelled);
    } finally {
      project = openProject(f.dir);
    }
  });

  it('the api refuses a relative path that climbs out of exports/, and the database survives', async () => {
    project.close();
    const host = await ProjectHost.start(f.dir, {
      emit: () => {},
      makeRunner: createLocalRunner,
      recentFile: join(tempDir(), 'recent.json'),
    });
    try {
      for (const out of ['../ahunt.sqlite', '../../x.csv', 'a/../../ahunt.sqlite-wal']) {
        const r = await dispatch(host.services, 'export.run', { format: 'csv', out });
        expect(r.ok, out).toBe(false);
      }
      const ok = await dispatch(host.services, 'export.run', { format: 'csv', out: 'cat.csv' });
      expect(ok).toMatchObject({ ok: true, value: { path: join(f.dir, 'exports', 'cat.csv') } });
    } finally {
      await host.close();
    }
    intact(f.dir, labelled);
    project = openProject(f.dir);
  });
});
