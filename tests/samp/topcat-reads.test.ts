/**
 * The tables SAMP sends, read by TOPCAT's own table library (STIL, through `topcat -stilts`,
 * Debian's topcat): the FITS table a TOPCAT gets and the VOTable the other clients get hold
 * every row, column, value and position UCD of the catalogue.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCatalogue } from '../../src-main/engine/export';
import { runTableJob } from '../../src-main/engine/samp/table-job';
import { tempDir } from '../store/helpers';
import { skyProject } from './helpers';

const haveTopcat = spawnSync('sh', ['-c', 'command -v topcat'], { stdio: 'ignore' }).status === 0;
if (!haveTopcat && process.env.CI) throw new Error('CI must have topcat for the SAMP table checks');

function stilts(args: string[]): string {
  const result = spawnSync('topcat', ['-stilts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** RFC 4180 CSV as STILTS writes it: fields quoted when they hold a comma, quote or newline. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '\n') {
      row.push(field);
      field = '';
      if (ch === '\n') {
        rows.push(row);
        row = [];
      }
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe.runIf(haveTopcat)("TOPCAT's table reader (STIL) reads what SAMP sends", () => {
  const dir = tempDir('ahunt-samp-stil-');
  const { project } = skyProject(join(dir, 'project'), 25);
  afterAll(() => {
    project.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const written = runTableJob({
    dir: project.dir,
    votable: join(dir, 'catalogue.vot'),
    fits: join(dir, 'catalogue.fits'),
    labelledOnly: false,
  });
  const expected = buildCatalogue(project);

  for (const format of ['fits', 'votable'] as const) {
    it(`as ${format === 'fits' ? 'FITS' : 'VOTable'}: every row, column and value, and the position UCDs`, () => {
      if (!written.ok) throw new Error(written.message);
      const file = format === 'fits' ? written.fits! : written.votable!;
      const [header, ...rows] = parseCsv(stilts(['tpipe', `in=${file}`, 'ofmt=csv']));
      expect(header).toEqual(expected.columns.map((c) => c.name));
      expect(rows).toHaveLength(expected.rows);
      expected.columns.forEach((column, c) => {
        column.values.forEach((v, r) => {
          const cell = rows[r]![c]!;
          const where = `${column.name}[${r}]`;
          if (v === null || v === '') expect(cell, where).toBe('');
          else if (column.type === 'float') expect(Number(cell), where).toBeCloseTo(v as number, 6);
          else if (typeof v === 'number') expect(Number(cell), where).toBe(v);
          else expect(cell, where).toBe(v);
        });
      });
      const fields = stilts(['tpipe', `in=${file}`, 'ofmt=votable', 'cmd=head 0']);
      const ucdOf = (name: string) =>
        new RegExp(`<FIELD[^>]*name="${name}"[^>]*ucd="([^"]+)"`).exec(fields)?.[1];
      expect(ucdOf('uid')).toBe('meta.id;meta.main');
      expect(ucdOf('ra')).toBe('pos.eq.ra;meta.main');
      expect(ucdOf('dec')).toBe('pos.eq.dec;meta.main');
    });
  }
});
