import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databasePath, schemaVersion } from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';
import { ahunt, ahuntWithEnv } from './run-ahunt';

describe('the ahunt command line', () => {
  it('lists its commands', () => {
    const r = ahunt('--help');
    expect(r.code).toBe(0);
    for (const name of [
      'init',
      'info',
      'ingest',
      'fits',
      'serve',
      'simulate',
      'export',
      'score',
      'bench',
    ]) {
      expect(r.out).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('init then info --json reports an empty project', () => {
    const dir = join(tempDir(), 'demo');
    expect(ahunt('init', dir).code).toBe(0);
    const r = ahunt('info', dir, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out) as {
      counts: Record<string, number>;
      classes: { name: string }[];
    };
    expect(info.counts).toMatchObject({
      sources: 0,
      objects: 0,
      labelled: 0,
      labelEvents: 0,
      rounds: 0,
      models: 0,
    });
    expect(info.classes.map((c) => c.name)).toEqual(['normal', 'unknown']);
  });

  it('user mistakes exit 1 with a one-line reason, never a stack', () => {
    const cases = [
      ahunt('frobnicate'),
      ahunt('info'),
      ahunt('info', join(tempDir(), 'missing')),
      ahunt('info', tempDir(), '--colour'),
    ];
    for (const r of cases) {
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  it('says in one sentence that the GPU backends need the desktop app', () => {
    const env = { ...process.env, AHUNT_BACKEND: 'webgl' };
    const cases = [
      ahunt('bench', 'train', '--seconds', '1', '--backend', 'webgpu'),
      ahuntWithEnv(env, 'bench', 'train', '--seconds', '1'),
    ];
    for (const r of cases) {
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(
        /"web(gpu|gl)" compute backend is not available: it needs the desktop app/,
      );
    }
  });

  it('refuses a project written by a newer version', () => {
    const dir = join(tempDir(), 'p');
    ahunt('init', dir);
    const db = new Database(databasePath(dir));
    db.pragma(`user_version = ${schemaVersion() + 1}`);
    db.close();
    const r = ahunt('info', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/newer AHUNT Workstation/);
  });
});
