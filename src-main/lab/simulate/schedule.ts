/**
 * Which dataset objects arrive when: the labelled start set, then each round's new draw, all
 * without replacement from per-class pools shuffled by the run's seed.
 */
import type { Rng } from '../../engine/learn/strategies';
import type { ClassCounts } from './types';

export class SimulationError extends Error {
  override name = 'SimulationError';
  /** The CLI prints the message and exits 1 (see cli/main.ts). */
  readonly userFacing = true;
}

export interface Schedule {
  start: number[];
  rounds: number[][];
}

export function drawSchedule(
  labels: Int32Array,
  classNames: readonly string[],
  normal: ClassCounts,
  perRound: ClassCounts,
  rounds: number,
  rng: Rng,
  source: string,
): Schedule {
  const pools = new Map<string, number[]>();
  for (const name of new Set([...Object.keys(normal), ...Object.keys(perRound)])) {
    const classIndex = classNames.indexOf(name);
    if (classIndex < 0) {
      throw new SimulationError(
        `Class "${name}" is not in ${source} (its classes: ${classNames.join(', ')}).`,
      );
    }
    const pool: number[] = [];
    labels.forEach((l, i) => {
      if (l === classIndex) pool.push(i);
    });
    const needed = (normal[name] ?? 0) + rounds * (perRound[name] ?? 0);
    if (pool.length < needed) {
      throw new SimulationError(
        `${source} has ${pool.length} images of class "${name}" but the protocol needs ${needed} ` +
          `(start ${normal[name] ?? 0} + ${rounds} rounds × ${perRound[name] ?? 0}); ` +
          `lower --rounds or the counts.`,
      );
    }
    pools.set(name, rng.shuffle(pool));
  }
  const take = (counts: ClassCounts): number[] => {
    const out: number[] = [];
    for (const [name, n] of Object.entries(counts)) out.push(...pools.get(name)!.splice(0, n));
    return rng.shuffle(out);
  };
  const start = take(normal);
  return { start, rounds: Array.from({ length: rounds }, () => take(perRound)) };
}
