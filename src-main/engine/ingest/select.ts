/**
 * In-place k-th smallest (quickselect with median-of-three). Percentiles of a 4,096-pixel
 * cutout this way cost a few linear passes instead of a sort, which matters at thousands of
 * files per second. On return the range is partitioned around k: smaller ranks lie left of
 * it, so a lower quantile can then be selected from the left part alone.
 */
export function selectKth(a: Float32Array, k: number, left = 0, right = a.length - 1): number {
  let lo = left;
  let hi = right;
  while (hi - lo > SMALL_RANGE) {
    const pivot = medianOfThree(a, lo, hi);
    const smaller = partitionBelow(a, lo, hi, pivot);
    if (k < smaller) {
      // a[hi] ≥ pivot (median of three), so the range shrinks.
      hi = smaller - 1;
      continue;
    }
    if (smaller > lo) {
      lo = smaller;
      continue;
    }
    // Nothing is below the pivot (a run of equal values): split off the pivot's equals.
    const notAbove = partitionNotAbove(a, lo, hi, pivot);
    if (k < notAbove) return pivot;
    lo = notAbove;
  }
  insertionSort(a, lo, hi);
  return a[k]!;
}

/** Ranges this short are sorted outright: cheaper than more partitioning passes. */
const SMALL_RANGE = 16;

/**
 * Orders a[lo], a[mid], a[hi] and returns the middle one: a pivot that keeps sorted or
 * constant inputs from going quadratic, with a[hi] ≥ pivot as a sentinel.
 */
function medianOfThree(a: Float32Array, lo: number, hi: number): number {
  const mid = (lo + hi) >> 1;
  if (a[mid]! < a[lo]!) swap(a, mid, lo);
  if (a[hi]! < a[lo]!) swap(a, hi, lo);
  if (a[hi]! < a[mid]!) swap(a, hi, mid);
  return a[mid]!;
}

/*
 * The partitions are branchless (Lomuto's scheme, every element swapped, the boundary
 * advanced by the comparison's 0 or 1): whether a value is below the median is a coin toss
 * the CPU cannot predict, and the mispredicted branches of a classic partition cost more
 * than all its comparisons. Number(boolean) is what makes V8 add the flag without a branch.
 */

/** Moves values < pivot to the front of [lo, hi]; returns the index of the first other one. */
function partitionBelow(a: Float32Array, lo: number, hi: number, pivot: number): number {
  let store = lo;
  for (let i = lo; i <= hi; i++) {
    const x = a[i]!;
    a[i] = a[store]!;
    a[store] = x;
    store += Number(x < pivot);
  }
  return store;
}

/** Moves values ≤ pivot to the front of [lo, hi]; returns the index of the first other one. */
function partitionNotAbove(a: Float32Array, lo: number, hi: number, pivot: number): number {
  let store = lo;
  for (let i = lo; i <= hi; i++) {
    const x = a[i]!;
    a[i] = a[store]!;
    a[store] = x;
    store += Number(x <= pivot);
  }
  return store;
}

function insertionSort(a: Float32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= lo && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
