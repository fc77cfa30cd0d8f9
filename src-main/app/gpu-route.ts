/**
 * The desktop's GPU training route, for the Electron door (which may import only the app
 * layer): each project's model runner trains on a GPU page when a probe says that is faster
 * (engine/hunt/gpu-route-runner.ts); the door supplies the pages (its hidden windows).
 */
import { createGpuRoutedRunner } from '../engine/hunt/gpu-route-runner';
import type { ModelRunner } from '../engine/hunt/runner';
import { createWorkerRunner } from '../engine/hunt/worker-runner';
import type { GpuPagePort } from './gpu-page-port';

export function gpuRoutedRunners(
  openPage: () => Promise<GpuPagePort>,
  log: (line: string) => void,
): () => ModelRunner {
  return () => createGpuRoutedRunner(createWorkerRunner(), { openPage, log });
}
