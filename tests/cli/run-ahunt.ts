import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  createProject,
  insertObject,
  recordSource,
  type Project,
} from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';

/** Runs the real `ahunt` entry point, as `npx ahunt` does, from the repository root. */
export function ahunt(...args: string[]): { code: number | null; out: string; err: string } {
  return ahuntWithEnv(process.env, ...args);
}

/** The same with its own environment variables. */
export function ahuntWithEnv(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ahunt.js', ...args], { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A new project holding `count` blank 4×4 objects obj-0, obj-1, …; the caller closes it. */
export function projectWithObjects(count: number): {
  dir: string;
  project: Project;
  ids: number[];
} {
  const dir = join(tempDir(), 'p');
  const project = createProject(dir);
  const source = recordSource(
    project.db,
    { path: '/sky/f.fits', size: 1, mtimeMs: 0, kind: 'fits' },
    'ingested',
    0,
  );
  const ids = Array.from({ length: count }, (_, i) =>
    insertObject(project.db, {
      uid: `obj-${i}`,
      sourceId: source,
      bands: 1,
      size: 4,
      pixelFormat: 'f32',
      pixels: new Uint8Array(64),
    }),
  );
  return { dir, project, ids };
}
