/** One process hunts in a project at a time, and a restore never swaps a database in use. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { LOCK_DATABASE, LOCK_FILE, lockProject, restoreBackup } from '../../src-main/engine/store';
import { openWorkspace } from '../../src-main/engine/workspace';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from './helpers';

function project(): string {
  const dir = join(tempDir(), 'p');
  syntheticProject(dir, 20, 2).project.close();
  return dir;
}

const holderScript = fileURLToPath(new URL('./lock-holder.child.ts', import.meta.url));

/** A child process that tries the lock on each folder it is sent, and answers per folder. */
class Holder {
  readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void)[] = [];

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', holderScript], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.lines.push(line);
    });
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async ready(): Promise<void> {
    expect(await this.next()).toBe('ready');
  }

  send(dir: string): void {
    this.child.stdin!.write(`${dir}\n`);
  }
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
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

  it('names another live process that holds it, and is free the moment that process dies', async () => {
    const dir = project();
    const h = new Holder();
    await h.ready();
    h.send(dir);
    expect(await h.next()).toBe('held');
    expect(() => lockProject(dir)).toThrow(new RegExp(`open in AHUNT process ${h.child.pid}`));
    expect(() => restoreBackup(dir)).toThrow(/close it before restoring a backup/);
    // A crashed app: SIGKILL leaves its owner record behind, but the OS lock is gone with it.
    await killed(h.child);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    lockProject(dir).release();
  });

  it('is atomic: of processes racing for it, exactly one wins, every time', async () => {
    const racers = [new Holder(), new Holder(), new Holder()];
    try {
      await Promise.all(racers.map((r) => r.ready()));
      for (let trial = 0; trial < 10; trial++) {
        const dir = project();
        for (const r of racers) r.send(dir);
        const answers = await Promise.all(racers.map((r) => r.next()));
        expect(
          answers.filter((a) => a === 'held'),
          answers.join(' | '),
        ).toHaveLength(1);
        // A loser that looks before the winner has written its name says "another process".
        for (const a of answers.filter((x) => x !== 'held'))
          expect(a).toMatch(/is open in (AHUNT process \d+|another AHUNT process)/);
      }
    } finally {
      await Promise.all(racers.map((r) => killed(r.child)));
    }
  }, 60_000);

  it('is not refused by a racer that only looks at the lock for a moment', async () => {
    const dir = project();
    lockProject(dir).release(); // the lock database exists, as after any earlier session
    // A racer on its way to the lock holds a shared lock on the lock database for a moment;
    // here a child holds one for 60 ms. Nobody holds the project, so it must not be refused.
    const looker = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import Database from 'better-sqlite3';
         const db = new Database(process.argv[1]);
         db.exec('BEGIN'); db.prepare('SELECT count(*) FROM held').get();
         process.stdout.write('looking\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 60);`,
        join(dir, LOCK_DATABASE),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
    );
    const exited = new Promise((resolve) => looker.once('exit', resolve));
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: looker.stdout! }).once('line', resolve),
    );
    expect(first).toBe('looking');
    lockProject(dir).release();
    await exited;
  });

  it('ignores a stale owner record: from another machine, garbled, or of a dead process', () => {
    const dir = project();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
    lockProject(dir).release();
    writeFileSync(join(dir, LOCK_FILE), '{ not json');
    lockProject(dir).release();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 999_999, host: hostname() }));
    lockProject(dir).release();
  });
});
