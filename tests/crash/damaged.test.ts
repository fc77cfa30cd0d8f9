import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/command';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import {
  backupDatabase,
  backupsDir,
  createProject,
  databasePath,
  findClassByName,
  KEEP_BACKUPS,
  labelHistory,
  latestRound,
  listBackups,
  openProject,
  ProjectError,
  recordLabel,
  restoreBackup,
  roundQuestions,
  type BackupInfo,
} from '../../src-main/engine/store';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from '../store/helpers';

const PNG = new URL('../fixtures/bad/ok-cutout.png', import.meta.url);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The error openProject throws, which must be the 'damaged' kind. */
function openError(dir: string): ProjectError {
  try {
    openProject(dir).close();
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).code).toBe('damaged');
    return error as ProjectError;
  }
  throw new Error(`${dir} opened although it is damaged`);
}

function captureIo(): CliIo & { text: () => string } {
  let text = '';
  return {
    out: (t) => (text += `${t}\n`),
    err: (t) => (text += `${t}\n`),
    interactive: false,
    text: () => text,
  };
}

// One project that went through a real round boundary: round 1 answered and trained (its
// backup taken), round 2 asked. Each test damages its own copy of it.
let original: string;
let roundOneLabels: number;
let backup: BackupInfo;
beforeAll(async () => {
  original = tempDir();
  const { project } = syntheticProject(original);
  const session = await HuntSession.open(project, createLocalRunner());
  const state = await session.startRound();
  const normal = findClassByName(project.db, 'normal')!;
  for (const q of state.questions) session.label(q.objectId, normal.id);
  roundOneLabels = labelHistory(project.db).length;
  session.finishRound();
  await session.idle();
  expect(session.state().round).toMatchObject({ number: 2, phase: 'asking' });
  // A label of round 2: given after the backup, so the restored project does not have it.
  session.label(session.state().questions[0]!.objectId, normal.id);
  await session.close();
  project.close();
  [backup] = listBackups(backupsDir(original)) as [BackupInfo];
  expect(backup).toMatchObject({ round: 1, reason: 'round-done' });
});

function copyOfProject(): { dir: string; file: string } {
  const dir = join(tempDir(), 'project');
  cpSync(original, dir, { recursive: true });
  const file = databasePath(dir);
  // Closed cleanly: the database is one file, so damaging it damages all of it.
  expect(existsSync(`${file}-wal`)).toBe(false);
  return { dir, file };
}

describe('a damaged project database', () => {
  it('a truncated file is refused untouched, naming the backup; restoreBackup brings it back', async () => {
    const { dir, file } = copyOfProject();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const before = sha(file);
    const files = readdirSync(dir).sort();

    const error = openError(dir);
    expect(error.message).toMatch(/truncated/);
    expect(error.message).toContain(backup.name);
    expect(error.message).toMatch(/end of round 1/);
    expect(error.message).toContain(`ahunt restore ${dir}`);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(files); // not even a -wal or -shm beside it

    const result = restoreBackup(dir);
    expect(result.restored.name).toBe(backup.name);
    expect(result.movedAside).toHaveLength(1);
    expect(sha(result.movedAside[0]!)).toBe(before); // kept, byte for byte
    const project = openProject(dir);
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(labelHistory(project.db)).toHaveLength(roundOneLabels);
    // Taken once round 2's questions were out: round 1 is done, round 2 is being asked.
    expect(latestRound(project.db)).toMatchObject({ number: 2, status: 'asking' });
    // The hunt carries on from the end of round 1.
    const session = await HuntSession.open(project, createLocalRunner());
    expect((await session.startRound()).round).toMatchObject({ number: 2, phase: 'asking' });
    await session.close();
    project.close();
  });

  it('a PNG named like the database is refused untouched; `ahunt restore` lists and restores', async () => {
    const { dir, file } = copyOfProject();
    copyFileSync(PNG, file);
    const before = sha(file);

    expect(openError(dir).message).toMatch(/not a SQLite database.*ahunt restore/);
    expect(sha(file)).toBe(before);

    const info = captureIo();
    expect(await main(['info', dir], info)).toBe(1);
    expect(info.text()).toContain(`Restore it with: ahunt restore ${dir}`);
    expect(sha(file)).toBe(before);

    const list = captureIo();
    expect(await main(['restore', dir, '--list'], list)).toBe(0);
    expect(list.text()).toContain(backup.name);
    expect(sha(file)).toBe(before); // --list changes nothing

    const restore = captureIo();
    expect(await main(['restore', dir], restore)).toBe(0);
    expect(restore.text()).toMatch(/Restored .* from .*end of round 1/);
    const aside = readdirSync(dir).filter((n) => n.startsWith('ahunt-replaced-'));
    expect(aside).toHaveLength(1);
    expect(sha(join(dir, aside[0]!))).toBe(before);
    const project = openProject(dir, { readonly: true });
    expect(labelHistory(project.db)).toHaveLength(roundOneLabels);
    project.close();
  });

  it('another application’s SQLite database is refused untouched', () => {
    const { dir, file } = copyOfProject();
    rmSync(file); // the copy's backups stay
    const other = new Database(file);
    other.exec('CREATE TABLE contacts (name TEXT)');
    other.close();
    const before = sha(file);
    expect(openError(dir).message).toMatch(/some other database/);
    expect(sha(file)).toBe(before);
  });

  it('an emptied file (0 bytes) is refused, not taken for a new project', () => {
    const { dir, file } = copyOfProject();
    truncateSync(file, 0);
    const error = openError(dir);
    expect(error.message).toMatch(/it is empty: 0 bytes/);
    expect(error.message).toContain(backup.name);
    expect(statSync(file).size).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('without a backup, the message says so and restore refuses', () => {
    const dir = tempDir();
    createProject(dir).close();
    writeFileSync(
      databasePath(dir),
      'not a database at all, just text that is long enough to check',
    );
    expect(openError(dir).message).toMatch(/no automatic backup/);
    expect(() => restoreBackup(dir)).toThrow(/nothing to restore/);
  });

  it('a table or index whose root page is overwritten is refused at open, untouched, from every door', async () => {
    for (const tree of ['label_events', 'object_labels_class']) {
      const { dir, file } = copyOfProject();
      const raw = new Database(file, { readonly: true });
      const { rootpage } = raw
        .prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?')
        .get(tree) as { rootpage: number };
      const pageSize = raw.pragma('page_size', { simple: true }) as number;
      raw.close();
      const bytes = readFileSync(file);
      bytes.fill(0x5a, (rootpage - 1) * pageSize, rootpage * pageSize);
      writeFileSync(file, bytes);
      const before = sha(file);
      const files = readdirSync(dir).sort();

      const error = openError(dir);
      expect(error.message, tree).toContain(`ahunt restore ${dir}`);
      expect(error.message, tree).toContain(backup.name);
      for (const argv of [
        ['info', dir],
        ['export', dir, '--format', 'csv', '--out', join(tempDir(), 'x.csv')],
      ]) {
        const io = captureIo();
        expect(await main(argv, io), argv.join(' ')).toBe(1);
        expect(io.text()).toContain(`ahunt restore ${dir}`);
        expect(io.text()).not.toMatch(/internal error|at .*\.ts:\d+/);
      }
      expect(sha(file)).toBe(before);
      expect(readdirSync(dir).sort()).toEqual(files);
    }
  });

  it('damage met while the project is open stops every write, and no door claims the labels are saved', async () => {
    const { dir } = copyOfProject();
    const project = openProject(dir);
    const corrupt = Object.assign(new Error('database disk image is malformed'), {
      code: 'SQLITE_CORRUPT',
    });
    const services = {
      session: {
        project,
        state: () => {
          throw corrupt;
        },
      },
    } as unknown as Parameters<typeof dispatch>[0];
    const reply = await dispatch(services, 'session.state', {}, () => {});
    expect(reply.ok).toBe(false);
    const message = (reply as { error: { code: string; message: string } }).error;
    expect(message.code).toBe('damaged');
    expect(message.message).toContain(`ahunt restore ${dir}`);
    expect(message.message).not.toMatch(/labels are saved/i);
    // From now on nothing of ours runs on that file.
    expect(() => latestRound(project.db)).toThrow(/damaged/);
    project.close();
  });

  it('a damaged backup is refused and nothing is moved', () => {
    const { dir, file } = copyOfProject();
    truncateSync(file, 4096);
    const before = sha(file);
    const newest = listBackups(backupsDir(dir)).at(-1)!;
    truncateSync(newest.file, Math.floor(newest.bytes / 2));
    expect(() => restoreBackup(dir)).toThrow(/cannot be restored.*nothing was changed/);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).filter((n) => n !== 'backups')).toEqual(['ahunt.sqlite']);
  });
});

describe('rolling backups', () => {
  it(`keeps the newest ${KEEP_BACKUPS}, sorted by time, and can restore a named older one`, async () => {
    const { dir } = copyOfProject();
    const project = openProject(dir);
    const made: string[] = [];
    for (let i = 0; i < KEEP_BACKUPS + 2; i++)
      made.push((await backupDatabase(project, 'test')).name);
    project.close();
    const kept = listBackups(backupsDir(dir)).map((b) => b.name);
    expect(kept).toEqual(made.slice(-KEEP_BACKUPS));
    expect([...kept].sort()).toEqual(kept);
    // Every backup is a whole database: restore the oldest one kept, by name.
    expect(restoreBackup(dir, kept[0]).restored.name).toBe(kept[0]);
    const restored = openProject(dir, { readonly: true });
    expect(restored.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(latestRound(restored.db)).toMatchObject({ number: 2, status: 'asking' });
    restored.close();
    expect(() => restoreBackup(dir, 'no-such-backup.sqlite')).toThrow(/no backup named/);
  });

  it('a damaged database makes no backup, so the good ones are never pruned', async () => {
    const { dir, file } = copyOfProject();
    const project = openProject(dir);
    const before = listBackups(backupsDir(dir)).map((b) => b.name);
    const { rootpage } = project.db
      .prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'label_events'")
      .get() as { rootpage: number };
    const pageSize = project.db.pragma('page_size', { simple: true }) as number;
    // Damaged on disk behind the open connection's back (a failing disk, another program).
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (rootpage - 1) * pageSize);
    closeSync(fd);
    for (let i = 0; i < KEEP_BACKUPS + 1; i++)
      await expect(backupDatabase(project, 'test')).rejects.toThrow(
        /damaged[\s\S]*older ones are kept/,
      );
    project.close();
    expect(listBackups(backupsDir(dir)).map((b) => b.name)).toEqual(before);
  });

  it('a backup taken while labels are written is a consistent copy, and the writes go on', async () => {
    const { dir } = copyOfProject();
    const project = openProject(dir);
    const { db } = project;
    const normal = findClassByName(db, 'normal')!;
    const objects = roundQuestions(db, 2).map((q) => q.object_id);
    let writes = 0;
    let backingUp = true;
    const writer = (async () => {
      while (backingUp) {
        recordLabel(db, {
          objectId: objects[writes % objects.length]!,
          classId: normal.id,
          round: 2,
          origin: 'ui',
        });
        writes++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const taken = await backupDatabase(project, 'busy');
    backingUp = false;
    await writer;
    expect(writes).toBeGreaterThan(0); // labelling was not held up while the copy was made
    project.close();
    const copy = new Database(taken.file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const events = (copy.prepare('SELECT count(*) AS n FROM label_events').get() as { n: number })
      .n;
    copy.close();
    expect(events).toBeGreaterThanOrEqual(roundOneLabels + 1);
    expect(events).toBeLessThanOrEqual(roundOneLabels + 1 + writes);
  });
});
