import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProjectError } from '../engine/store/errors';
import { createProject, isProject } from '../engine/store/project';

/**
 * open: the folder must hold a project. create: make one there (the folder is created if
 * needed; one that already holds a project is refused). open-or-create: a project, made when
 * the folder does not exist yet or is empty (what `ahunt ingest` does on first use).
 */
export type ProjectFolderMode = 'open' | 'create' | 'open-or-create';

/**
 * The one routine every door uses to make sure a folder holds a project before opening it:
 * creates it when the mode asks, and otherwise says what to do. Returns the absolute path and
 * whether this call made the project.
 */
export function prepareProjectFolder(
  dir: string,
  mode: ProjectFolderMode,
  name?: string,
): { dir: string; created: boolean } {
  const root = resolve(dir);
  if (mode === 'create' || (mode === 'open-or-create' && isBlank(root))) {
    if (isProject(root)) {
      throw new ProjectError(
        'already-a-project',
        `${root} already holds an AHUNT project: open it instead of creating one.`,
      );
    }
    createProject(root, name ? { name } : {}).close();
    return { dir: root, created: true };
  }
  if (!isProject(root)) {
    if (!existsSync(root))
      throw new ProjectError(
        'not-found',
        `${root} does not exist. Create a project there (ahunt init ${dir}), or choose the folder that holds one.`,
      );
    throw new ProjectError(
      'not-a-project',
      `${root} is not an AHUNT project. Create a project there, or choose the folder that holds one.`,
    );
  }
  return { dir: root, created: false };
}

function isBlank(root: string): boolean {
  return !existsSync(root) || (!isProject(root) && readdirSync(root).length === 0);
}
