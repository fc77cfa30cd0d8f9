/** Parsing and summarising for the simulation's command-line surface. */
import { SimulationError } from './schedule';
import type { ClassCounts, SimulationResult } from './types';

/** "0:500,1:900" → { '0': 500, '1': 900 }. */
export function parseClassCounts(text: string, flag: string): ClassCounts {
  const counts: ClassCounts = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = part.lastIndexOf(':');
    const name = part.slice(0, colon).trim();
    const n = Number(part.slice(colon + 1));
    if (colon <= 0 || !name || !Number.isInteger(n) || n < 0) {
      throw new SimulationError(
        `--${flag} "${text}": write class:count pairs separated by commas, e.g. 0:500,1:900.`,
      );
    }
    if (name in counts) throw new SimulationError(`--${flag} names class "${name}" twice.`);
    counts[name] = n;
  }
  if (Object.keys(counts).length === 0)
    throw new SimulationError(`--${flag} is empty; e.g. 0:500,1:900.`);
  return counts;
}

/** "3" → [3]; "1,4,9" → [1, 4, 9]; "1-5" → [1, 2, 3, 4, 5]. */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text.trim());
  const seeds = range
    ? Array.from(
        { length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) },
        (_, i) => Number(range[1]) + i,
      )
    : text.split(',').map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new SimulationError(
      `--seed "${text}": give a whole number, a list (1,2,3) or a range (1-5).`,
    );
  }
  return seeds;
}

export interface MethodSummary {
  method: string;
  strategy: string;
  runs: number;
  /** The last round, where the medians are taken. */
  round: number;
  rws: number;
  mcc: number;
  recall: number;
  true_candidates: number;
  found: number;
  asked: number;
  /** Median wall time per run. */
  seconds: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Medians at the last round per method and strategy, over seeds. */
export function summariseRuns(results: readonly SimulationResult[]): MethodSummary[] {
  const groups = new Map<string, SimulationResult[]>();
  for (const r of results) {
    const key = `${r.config.method}|${r.config.strategy}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    const last = runs.map((r) => r.rounds[r.rounds.length - 1]!).filter(Boolean);
    const pick = (f: (x: (typeof last)[number]) => number) => median(last.map(f));
    return {
      method: runs[0]!.config.method,
      strategy: runs[0]!.config.strategy,
      runs: runs.length,
      round: pick((x) => x.round),
      rws: pick((x) => x.rws),
      mcc: pick((x) => x.mcc),
      recall: pick((x) => x.recall),
      true_candidates: pick((x) => x.true_candidates),
      found: pick((x) => x.found),
      asked: pick((x) => x.asked),
      seconds: median(runs.map((r) => r.total_seconds)),
    };
  });
}
