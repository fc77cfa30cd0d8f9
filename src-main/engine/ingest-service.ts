import type { EmitFn } from './hunt/session';
import { ingest } from './ingest';
import type { Project } from './store/project';

/**
 * Ingestion as a background job of a running workspace: one at a time, progress and the final
 * report pushed as events, cancellable. The doors call start/cancel through the api.
 */
export function ingestService(project: Project, emit: EmitFn, onDone: () => void = () => {}) {
  let running: AbortController | null = null;
  return {
    start(paths: string[], size?: number): { started: boolean } {
      if (running) return { started: false };
      const controller = new AbortController();
      running = controller;
      ingest(project, paths, {
        ...(size ? { size } : {}),
        signal: controller.signal,
        onProgress: (p) => emit('ingest.progress', p),
      })
        .then((summary) =>
          emit('ingest.done', {
            ingested: summary.ingested,
            skipped: summary.skipped,
            rejected: summary.rejected,
            errors: summary.errors,
            seconds: summary.seconds,
          }),
        )
        .catch((error: unknown) =>
          emit('engine.error', {
            code: 'ingest-failed',
            message: `Ingestion stopped: ${(error as Error).message}`,
          }),
        )
        .finally(() => {
          running = null;
          onDone();
        });
      return { started: true };
    },
    /** An ingest is writing into this project now (it must finish or be cancelled first). */
    running(): boolean {
      return running !== null;
    },
    cancel(): { cancelled: boolean } {
      if (!running) return { cancelled: false };
      running.abort();
      return { cancelled: true };
    },
  };
}
