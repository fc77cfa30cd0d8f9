import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoProject } from '../../src-main/engine/demo/project';
import { DEMO_ANOMALY_KINDS, renderCutout } from '../../src-main/engine/demo/kinds';
import { createRng } from '../../src-main/engine/demo/rng';
import { generateDemoSurvey } from '../../src-main/engine/demo/survey';
import { parseFits } from '../../src-main/engine/fits';
import { getMeta } from '../../src-main/engine/store/settings';
import { tempDir } from './helpers';

const tmp = tempDir('ahunt-demo-');
afterAll(tmp.cleanup);

function hashFolder(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort())
    hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex');
}

describe('the demo survey generator', () => {
  it('is deterministic: the same seed gives the same bytes, another seed does not', () => {
    const a = generateDemoSurvey(join(tmp.dir, 'a'), { count: 120, seed: 5 });
    generateDemoSurvey(join(tmp.dir, 'b'), { count: 120, seed: 5 });
    generateDemoSurvey(join(tmp.dir, 'c'), { count: 120, seed: 6 });
    expect(hashFolder(join(tmp.dir, 'a'))).toBe(hashFolder(join(tmp.dir, 'b')));
    expect(hashFolder(join(tmp.dir, 'a'))).not.toBe(hashFolder(join(tmp.dir, 'c')));
    expect(a.files).toHaveLength(120);
    // At least one of each anomaly kind, the rest normal.
    for (const kind of DEMO_ANOMALY_KINDS) expect(a.counts[kind]).toBe(1);
    expect(a.counts.normal).toBe(120 - DEMO_ANOMALY_KINDS.length);
  });

  it('writes 64×64 float32 cutouts with a TAN WCS that puts the catalogue position at the centre', () => {
    const truth = readFileSync(join(tmp.dir, 'a', 'truth.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(truth[0]).toBe('id,file,ra,dec,kind');
    expect(truth).toHaveLength(121);
    const [id, file, ra, dec, kind] = truth[1]!.split(',');
    expect(id).toBe('demo-00001');
    expect(DEMO_ANOMALY_KINDS.includes(kind as never) || kind === 'normal').toBe(true);
    const fits = parseFits(readFileSync(join(tmp.dir, 'a', file!)), file!);
    const image = fits.readImage();
    expect([image.width, image.height, fits.hdus[0]!.bitpix]).toEqual([64, 64, -32]);
    const [cRa, cDec] = image.wcs!.pixelToWorld(31.5, 31.5);
    expect(cRa).toBeCloseTo(Number(ra), 7);
    expect(cDec).toBeCloseTo(Number(dec), 7);
  });

  it('draws anomalies that differ from normal galaxies where expected', () => {
    const max = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), -Infinity);
    const cosmic = renderCutout('cosmic', 64, createRng(3));
    expect(max(cosmic)).toBeGreaterThan(40);
    const column = renderCutout('badcolumn', 64, createRng(4));
    // Some column deviates from its neighbours by far more than the noise along its length.
    let worst = 0;
    for (let x = 1; x < 63; x++) {
      let d = 0;
      for (let y = 40; y < 64; y++)
        d += Math.abs(
          column[y * 64 + x]! - (column[y * 64 + x - 1]! + column[y * 64 + x + 1]!) / 2,
        );
      worst = Math.max(worst, d / 24);
    }
    expect(worst).toBeGreaterThan(10);
  });
});

describe('ensureDemoProject', () => {
  it('generates and ingests once, then just opens the project', async () => {
    const dir = join(tmp.dir, 'demo');
    const phases = new Set<string>();
    const project = await ensureDemoProject(dir, {
      count: 80,
      seed: 2,
      onProgress: (p) => phases.add(p.phase),
    });
    expect([...phases]).toEqual(['generate', 'ingest']);
    const count = (sql: string) => (project.db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) n FROM objects')).toBe(80);
    // Ground truth stays out of the label history.
    expect(count('SELECT count(*) n FROM label_events')).toBe(0);
    expect(getMeta(project.db, 'demo_survey')).toBe(JSON.stringify({ count: 80, seed: 2 }));
    project.close();
    const phasesAgain = new Set<string>();
    const again = await ensureDemoProject(dir, {
      count: 80,
      seed: 2,
      onProgress: (p) => phasesAgain.add(p.phase),
    });
    expect(phasesAgain.size).toBe(0);
    again.close();
  });
});
