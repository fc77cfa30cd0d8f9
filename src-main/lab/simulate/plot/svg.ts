/**
 * Hand-written SVG charts of simulation runs: RWS per round, MCC per round and the discovery
 * curve (anomalies found vs questions asked). Runs that share a label (the seeds of one method)
 * are drawn thin and faint, with their per-point median bold on top.
 */
import { ticks } from 'd3-array';
import type { RoundRecord } from '../types';

export interface PlotRun {
  label: string;
  rounds: readonly RoundRecord[];
}

interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  x: (r: RoundRecord) => number;
  y: (r: RoundRecord) => number;
  yRange?: [number, number];
  /** Curves start at (0, 0): nothing found before the first question. */
  fromOrigin?: boolean;
}

const PANELS: Panel[] = [
  {
    title: 'Rank-weighted score',
    xLabel: 'round',
    yLabel: 'RWS',
    x: (r) => r.round,
    y: (r) => r.rws,
    yRange: [0, 1],
  },
  {
    title: 'MCC (n_o flagged)',
    xLabel: 'round',
    yLabel: 'MCC',
    x: (r) => r.round,
    y: (r) => r.mcc,
    yRange: [-0.1, 1],
  },
  {
    title: 'Discovery curve',
    xLabel: 'questions asked',
    yLabel: 'anomalies found',
    x: (r) => r.asked,
    y: (r) => r.found,
    fromOrigin: true,
  },
];

const COLOURS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];
const PANEL_W = 340;
const PANEL_H = 260;
const MARGIN = { left: 52, right: 14, top: 30, bottom: 42 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round tick values (d3-array's choice of 1, 2 or 5 × 10^k steps) covering [lo, hi]. */
function axisTicks(lo: number, hi: number): number[] {
  return hi > lo ? ticks(lo, hi, 5) : [lo];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median over runs of y at each position (runs of one method have the same round count). */
function medianLine(runs: readonly PlotRun[], panel: Panel): Array<[number, number]> {
  const length = Math.min(...runs.map((r) => r.rounds.length));
  const line: Array<[number, number]> = [];
  for (let i = 0; i < length; i++) {
    line.push([
      median(runs.map((r) => panel.x(r.rounds[i]!))),
      median(runs.map((r) => panel.y(r.rounds[i]!))),
    ]);
  }
  return line;
}

function drawPanel(panel: Panel, groups: Map<string, PlotRun[]>, ox: number, oy: number): string {
  const all = [...groups.values()].flat().flatMap((r) => r.rounds);
  const xs = all.map(panel.x);
  const ys = all.map(panel.y).filter(Number.isFinite);
  const xLo = Math.min(0, ...xs);
  const xHi = Math.max(1, ...xs);
  const [yLo, yHi] = panel.yRange
    ? [Math.min(panel.yRange[0], ...ys), Math.max(panel.yRange[1], ...ys)]
    : [0, Math.max(1, ...ys)];
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => ox + MARGIN.left + ((x - xLo) / (xHi - xLo)) * w;
  const py = (y: number) => oy + MARGIN.top + h - ((y - yLo) / (yHi - yLo)) * h;
  const parts: string[] = [];
  parts.push(
    `<text x="${ox + PANEL_W / 2}" y="${oy + 18}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`,
  );
  parts.push(
    `<rect x="${ox + MARGIN.left}" y="${oy + MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
  );
  for (const t of axisTicks(xLo, xHi)) {
    parts.push(
      `<line x1="${px(t)}" y1="${oy + MARGIN.top + h}" x2="${px(t)}" y2="${oy + MARGIN.top + h + 4}" stroke="#888"/>`,
    );
    parts.push(
      `<text x="${px(t)}" y="${oy + MARGIN.top + h + 16}" text-anchor="middle" font-size="11">${t}</text>`,
    );
  }
  for (const t of axisTicks(yLo, yHi)) {
    parts.push(
      `<line x1="${ox + MARGIN.left}" y1="${py(t)}" x2="${ox + MARGIN.left + w}" y2="${py(t)}" stroke="#eee"/>`,
    );
    parts.push(
      `<text x="${ox + MARGIN.left - 6}" y="${py(t) + 4}" text-anchor="end" font-size="11">${t}</text>`,
    );
  }
  parts.push(
    `<text x="${ox + MARGIN.left + w / 2}" y="${oy + PANEL_H - 8}" text-anchor="middle" font-size="12">${escapeXml(panel.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(${ox + 14} ${oy + MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(panel.yLabel)}</text>`,
  );
  const path = (points: Array<[number, number]>) =>
    (panel.fromOrigin ? [[0, 0] as [number, number], ...points] : points)
      .filter(([, y]) => Number.isFinite(y))
      .map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
      .join(' ');
  let colour = 0;
  for (const runs of groups.values()) {
    const stroke = COLOURS[colour++ % COLOURS.length]!;
    if (runs.length > 1) {
      for (const run of runs) {
        const d = path(run.rounds.map((r) => [panel.x(r), panel.y(r)]));
        parts.push(
          `<path d="${d}" fill="none" stroke="${stroke}" stroke-opacity="0.25" stroke-width="1"/>`,
        );
      }
    }
    const main =
      runs.length > 1
        ? medianLine(runs, panel)
        : runs[0]!.rounds.map((r): [number, number] => [panel.x(r), panel.y(r)]);
    parts.push(`<path d="${path(main)}" fill="none" stroke="${stroke}" stroke-width="2.2"/>`);
  }
  return parts.join('\n');
}

/** One SVG document with the three panels side by side and a legend underneath. */
export function renderSimulationSvg(runs: readonly PlotRun[], title = 'AHUNT simulation'): string {
  if (runs.length === 0) throw new Error('renderSimulationSvg: no runs to plot.');
  const groups = new Map<string, PlotRun[]>();
  for (const run of runs) groups.set(run.label, [...(groups.get(run.label) ?? []), run]);
  const legendRows = Math.ceil(groups.size / 3);
  const width = PANEL_W * PANELS.length;
  const height = 36 + PANEL_H + 12 + legendRows * 20;
  const body = PANELS.map((p, i) => drawPanel(p, groups, i * PANEL_W, 36)).join('\n');
  const legend = [...groups.entries()]
    .map(([label, rs], i) => {
      const x = 60 + (i % 3) * (width / 3);
      const y = 36 + PANEL_H + 16 + Math.floor(i / 3) * 20;
      const name = rs.length > 1 ? `${label} (median of ${rs.length})` : label;
      return `<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="3"/><text x="${x + 30}" y="${y + 4}" font-size="12">${escapeXml(name)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="16">${escapeXml(title)}</text>`,
    body,
    legend,
    '</svg>',
  ].join('\n');
}
