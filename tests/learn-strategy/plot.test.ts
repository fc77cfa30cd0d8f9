import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, it, expect } from 'vitest';
import { renderSimulationSvg, writeSimulationPlot } from '../../src-main/lab/simulate/plot/index';
import type { RoundRecord } from '../../src-main/lab/simulate/index';

function rounds(rws: number[]): RoundRecord[] {
  return rws.map((v, i) => ({
    round: i + 1,
    rws: v,
    recall: v,
    precision: v,
    mcc: v,
    true_candidates: 100 * v,
    found: 2 * (i + 1),
    asked: 5 * (i + 1),
    train_seconds: 1,
    score_seconds: 0.1,
    observed: 100 * (i + 1),
    anomalies_observed: 3 * (i + 1),
    classes: 4,
  }));
}

describe('simulation plots', () => {
  it('draws three panels, one line per single run and median + faint lines per group', () => {
    const svg = renderSimulationSvg([
      { label: 'ahunt', rounds: rounds([0.2, 0.6, 0.9]) },
      { label: 'ahunt', rounds: rounds([0.4, 0.8, 1]) },
      { label: 'iforest-raw <pixels>', rounds: rounds([0.1, 0.1, 0.2]) },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const title of ['Rank-weighted score', 'MCC (n_o flagged)', 'Discovery curve']) {
      expect(svg).toContain(title);
    }
    // 3 panels × (2 faint + 1 median for ahunt, 1 for iforest-raw).
    expect(svg.match(/<path /g)).toHaveLength(12);
    expect(svg.match(/stroke-opacity="0.25"/g)).toHaveLength(6);
    expect(svg).toContain('ahunt (median of 2)');
    expect(svg).toContain('iforest-raw &#60;pixels&#62;');
  });

  it('writes SVG and PNG files, and refuses other extensions', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ahunt-plot-'));
    try {
      const runs = [{ label: 'ahunt', rounds: rounds([0.3, 0.7]) }];
      await writeSimulationPlot(path.join(dir, 'p.svg'), runs);
      expect(readFileSync(path.join(dir, 'p.svg'), 'utf8')).toContain('</svg>');
      await writeSimulationPlot(path.join(dir, 'p.png'), runs);
      const meta = await sharp(path.join(dir, 'p.png')).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(1000);
      await expect(writeSimulationPlot(path.join(dir, 'p.gif'), runs)).rejects.toThrow(
        /\.svg or \.png/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
