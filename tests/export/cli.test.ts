import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src-main/cli/command';
import { exportCommand } from '../../src-main/cli/commands/export';
import { scoreCommand } from '../../src-main/cli/commands/score';
import { getScore } from '../../src-main/engine/store';
import { livedProject, OBJECTS, tempDir, type Fixture, removeTempDirs } from './helpers';

function captured(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (t) => lines.push(t),
    err: (t) => lines.push(`ERR ${t}`),
    interactive: false,
  };
}

afterAll(removeTempDirs);

describe('ahunt export / ahunt score', () => {
  let f: Fixture;
  let out: string;
  beforeAll(async () => {
    f = await livedProject();
    f.project.close(); // the commands open the project themselves
    out = tempDir();
  });
  afterAll(() => {
    rmSync(f.dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('exports each catalogue format and prints the path and the row count', async () => {
    for (const format of ['csv', 'fits', 'votable', 'json']) {
      const io = captured();
      const file = join(out, `cat.${format}`);
      expect(await exportCommand.run([f.dir, '--format', format, '--out', file], io)).toBe(0);
      expect(io.lines).toEqual([`${file}  ${OBJECTS} rows`]);
      expect(existsSync(file)).toBe(true);
    }
    const io = captured();
    await exportCommand.run(
      [f.dir, '--format', 'csv', '--out', join(out, 'l.csv'), '--labelled-only'],
      io,
    );
    expect(io.lines).toEqual([`${join(out, 'l.csv')}  8 rows`]);
  });

  it('exports the history and the model', async () => {
    const io = captured();
    expect(
      await exportCommand.run([f.dir, '--format', 'history', '--out', join(out, 'h.csv')], io),
    ).toBe(0);
    expect(io.lines[0]).toBe(`${join(out, 'h.csv')}  13 rows`);
    const model = captured();
    expect(
      await exportCommand.run([f.dir, '--format', 'model', '--out', join(out, 'model')], model),
    ).toBe(0);
    expect(model.lines[0]).toBe(
      `${join(out, 'model')}  model ${f.modelIds[1]} (round 2), 5 classes`,
    );
  });

  it('scores with the exported model, then imports the scores back', async () => {
    const io = captured();
    const scores = join(out, 'scores.csv');
    expect(await scoreCommand.run([f.dir, join(out, 'model'), '--out', scores, '--tfjs'], io)).toBe(
      0,
    );
    expect(io.lines[0]).toBe(`${scores}  ${OBJECTS} rows (scored with tfjs-wasm)`);
    // Change one score as an external worker might, and load the file.
    const lines = readFileSync(scores, 'utf8').split('\r\n');
    const cells = lines[1]!.split(',');
    cells[1] = '0.875';
    lines[1] = cells.join(',');
    writeFileSync(scores, lines.join('\r\n'));
    const imported = captured();
    expect(await scoreCommand.run([f.dir, '--import-scores', scores], imported)).toBe(0);
    expect(imported.lines[0]).toBe(
      `${scores}  ${OBJECTS} rows imported as scores of model ${f.modelIds[1]}`,
    );
    const { openProject } = await import('../../src-main/engine/store');
    const p = openProject(f.dir, { readonly: true });
    expect(getScore(p.db, f.ids[0]!)!.score).toBe(0.875);
    p.close();
  });

  it('refuses bad arguments with a sentence saying what to do', async () => {
    const io = captured();
    await expect(exportCommand.run([f.dir, '--format', 'xls', '--out', 'x'], io)).rejects.toThrow(
      /--format must be one of csv, fits, votable, json, regions, history, model, not "xls"/,
    );
    await expect(exportCommand.run([f.dir, '--format', 'csv'], io)).rejects.toThrow(
      /--out is required/,
    );
    await expect(
      exportCommand.run([f.dir, '--format', 'model', '--out', 'm', '--labelled-only'], io),
    ).rejects.toThrow(/--labelled-only applies to catalogues/);
    await expect(scoreCommand.run([f.dir], io)).rejects.toThrow(
      /give a model folder to score with/,
    );
    // A wrong model folder is the user's mistake: userFacing, so the CLI exits 1 with the reason.
    await expect(scoreCommand.run([f.dir, join(out, 'nothing-here')], io)).rejects.toMatchObject({
      userFacing: true,
      message: expect.stringMatching(/is not an AHUNT model folder/),
    });
    writeFileSync(join(out, 'not-a-model.txt'), 'x');
    await expect(
      exportCommand.run([f.dir, '--format', 'model', '--out', out], io),
    ).rejects.toMatchObject({
      userFacing: true,
      message: expect.stringMatching(/already holds files that are not an AHUNT model/),
    });
    await expect(
      exportCommand.run([join(out, 'no-project'), '--format', 'csv', '--out', 'x'], io),
    ).rejects.toThrow(/does not exist/);
  });
});
