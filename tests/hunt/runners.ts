/** Both model runners, for tests that must hold whichever one a session uses. */
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import type { ModelRunner } from '../../src-main/engine/hunt/runner';
import { createWorkerRunner } from '../../src-main/engine/hunt/worker-runner';

export const runners: [string, () => ModelRunner][] = [
  ['in-process', createLocalRunner],
  ['worker thread', createWorkerRunner],
];
