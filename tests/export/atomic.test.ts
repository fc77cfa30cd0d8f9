import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTempNameFor, parseCsv, writeFileAtomic } from '../../src-main/engine/export';
import { createProject, insertObject, recordSource } from '../../src-main/engine/store';
import { tempDir, removeTempDirs } from './helpers';

const child = fileURLToPath(new URL('./export-writer.child.ts', import.meta.url));
const ROWS = 30_000;

/** Starts the child and SIGKILLs it as soon as it announces write number `killAt`. */
function killDuringWrite(dir: string, target: string, killAt: number): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, target], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    proc.on('error', reject);
    proc.on('exit', () =>
      proc.signalCode === 'SIGKILL'
        ? resolve()
        : reject(new Error(`child exited ${proc.exitCode}`)),
    );
    proc.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(`begin ${killAt}\n`) && !proc.killed) proc.kill('SIGKILL');
    });
  });
}

afterAll(removeTempDirs);

describe('atomic export under SIGKILL', () => {
  let project: string;
  beforeAll(() => {
    project = tempDir();
    const p = createProject(project);
    const source = recordSource(
      p.db,
      {
        path: '/data/big.fits',
        size: 1,
        mtimeMs: 1,
        kind: 'fits',
      },
      'ingested',
      0,
    );
    p.db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        insertObject(p.db, {
          uid: `object-with-a-longish-id-${i}`,
          sourceId: source,
          x: i,
          y: i / 3,
          ra: i / 1000,
          dec: -i / 1000,
          bands: 1,
          size: 1,
          pixelFormat: 'u8',
          pixels: new Uint8Array(1),
        });
      }
    })();
    p.close();
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  function leftovers(dir: string, name: string): string[] {
    const names = readdirSync(dir).filter((n) => n !== name);
    expect(
      names.every((n) => isTempNameFor(name, n)),
      `unexpected files: ${names.join(', ')}`,
    ).toBe(true);
    return names;
  }

  it('a kill during the first write leaves no file under the target name', async () => {
    const out = tempDir();
    const target = join(out, 'catalogue.csv');
    await killDuringWrite(project, target, 0);
    expect(existsSync(target)).toBe(false);
    // The child was inside the write: its recognisable temporary file is all that is left.
    expect(leftovers(out, 'catalogue.csv')).toHaveLength(1);
  });

  it('a kill while replacing leaves the previous complete file', async () => {
    const out = tempDir();
    const target = join(out, 'catalogue.csv');
    await killDuringWrite(project, target, 2);
    const text = readFileSync(target, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const { columns, rows: body, problem: error } = parseCsv(text);
    const rows = [columns, ...body];
    expect(error).toBeNull();
    expect(rows.length).toBe(ROWS + 1);
    expect(rows[ROWS]![0]).toBe(`object-with-a-longish-id-${ROWS - 1}`);
    expect(leftovers(out, 'catalogue.csv')).toHaveLength(1);
  });

  it('a failing writer removes its temporary file and keeps the old target', () => {
    const out = tempDir();
    const target = join(out, 'a.json');
    writeFileAtomic(target, (sink) => sink.write('{"old":true}'));
    expect(() =>
      writeFileAtomic(target, (sink) => {
        sink.write('{"new":');
        throw new Error('disk full (simulated)');
      }),
    ).toThrow('disk full');
    expect(readFileSync(target, 'utf8')).toBe('{"old":true}');
    expect(readdirSync(out)).toEqual(['a.json']);
  });
});
