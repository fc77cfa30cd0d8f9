/**
 * The shared reference data (real MNIST, Galaxy Zoo, FITS files) that the real-data tests
 * read and never copy into the repository: ../shared/datasets beside the checkout, or
 * AHUNT_DATASETS. The CI always has it, so there a missing set is a failure; elsewhere the
 * tests that need it skip, and say why once.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');

export const datasetsDir = process.env.AHUNT_DATASETS ?? resolve(repoRoot, '../shared/datasets');

/** True when `relative` exists under the shared data; in CI a missing one throws. */
export function haveDataset(relative: string): boolean {
  const path = join(datasetsDir, relative);
  if (existsSync(path)) return true;
  if (process.env.CI)
    throw new Error(
      `${path} is missing: the CI always has ../shared/datasets and these tests need it.`,
    );
  console.warn(`${path} is absent: skipping the tests that read it.`);
  return false;
}
