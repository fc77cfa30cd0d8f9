/** One process hunts in a project at a time, and a restore never swaps a database in use. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { LOCK_FILE, lockProject, restoreBackup } from '../../src-main/engine/store';
import { openWorkspace } from '../../src-main/engine/workspace';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from './helpers';

function project(): string {
  const dir = join(tempDir(), 'p');
  syntheticProject(dir, 20, 2).project.close();
  return dir;
}

describe('the project lock', () => {
  it('refuses a second workspace on the same project, and frees it on close', async () => {
    const dir = project();
    const first = await openWorkspace(dir, { runner: createLocalRunner() });
    await expect(openWorkspace(dir, { runner: createLocalRunner() })).rejects.toThrow(
      /is open in this AHUNT process/,
    );
    expect(() => restoreBackup(dir)).toThrow(/close it before restoring a backup/);
    await first.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await openWorkspace(dir, { runner: createLocalRunner() });
    await again.close();
  });

  it('names another live process that holds it, and takes over once that process is gone', async () => {
    const dir = project();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: child.pid, host: hostname(), since: '2026-12-02T00:00:00Z' }),
    );
    expect(() => lockProject(dir)).toThrow(new RegExp(`open in AHUNT process ${child.pid}`));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // A crashed app left its lock behind: nobody holds it any more.
    lockProject(dir).release();
  });

  it('ignores a lock from another machine (a project on a shared disk) and a garbled one', () => {
    const dir = project();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
    lockProject(dir).release();
    writeFileSync(join(dir, LOCK_FILE), '{ not json');
    lockProject(dir).release();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname() }));
    lockProject(dir).release();
  });
});
