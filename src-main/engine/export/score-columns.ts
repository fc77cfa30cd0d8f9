import { classColumnNames } from './table';

/**
 * Probability column names for a model's outputs: p_<class>, with the output index on a clash.
 * The one rule for every scores file: what `ahunt score` and cluster workers write, and what
 * importScores expects. Free of tfjs, so a scoring worker starts fast.
 */
export function outputColumnNames(classNames: readonly string[]): string[] {
  return classColumnNames(
    'p_',
    classNames.map((name, index) => ({ id: index, name })),
    ['uid', 'score'],
  );
}
