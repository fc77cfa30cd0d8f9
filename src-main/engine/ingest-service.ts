import type { Input, IngestReport } from '../contract/contract';
import type { EmitFn } from './hunt/session';
import { ingest } from './ingest';
import type { IngestOptions } from './ingest/types';
import type { Project } from './store/project';

/** What a door asks an ingest for: the contract's request, every option `ahunt ingest` has. */
export type IngestRequest = Input<'ingest.start'>;

export interface IngestJob {
  start(request: IngestRequest): { started: boolean };
  cancel(): { cancelled: boolean };
  /** An ingest is writing into this project now (it must finish or be cancelled first). */
  running(): boolean;
}

/**
 * Ingestion as a background job of an open project: one at a time, progress and the final
 * report pushed as events, cancellable. The doors call start/cancel through the app api.
 */
export function ingestService(
  project: Project,
  emit: EmitFn,
  onDone: () => void = () => {},
): IngestJob {
  let running: AbortController | null = null;
  return {
    start(request) {
      if (running) return { started: false };
      const controller = new AbortController();
      running = controller;
      ingest(project, request.paths, {
        ...ingestOptions(request),
        signal: controller.signal,
        onProgress: (p) => emit('ingest.progress', p),
      })
        .then((summary) => emit('ingest.done', report(summary)))
        .catch((error: unknown) => {
          const e = error as { userFacing?: boolean; code?: unknown; message?: string };
          // A mistake in the request (a missing catalogue, an unknown column) keeps its own
          // code and sentence; anything else is an ingest that broke off.
          emit('engine.error', {
            code: e?.userFacing && typeof e.code === 'string' ? e.code : 'ingest-failed',
            message: e?.userFacing
              ? (e.message ?? String(error))
              : `Ingestion stopped: ${e?.message ?? String(error)}`,
          });
        })
        .finally(() => {
          running = null;
          onDone();
        });
      return { started: true };
    },
    running: () => running !== null,
    cancel() {
      if (!running) return { cancelled: false };
      running.abort();
      return { cancelled: true };
    },
  };
}

function ingestOptions(r: IngestRequest): IngestOptions {
  const options: IngestOptions = {};
  if (r.size !== undefined) options.size = r.size;
  if (r.layout !== undefined) options.layout = r.layout;
  if (r.hdu !== undefined) options.hdu = r.hdu;
  if (r.bands !== undefined) options.bands = r.bands;
  if (r.catalogue) options.catalogue = withoutUndefined(r.catalogue);
  if (r.labels) options.labels = withoutUndefined(r.labels);
  if (r.workers !== undefined) options.workers = r.workers;
  return options;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function report(s: Awaited<ReturnType<typeof ingest>>): IngestReport {
  return {
    ingested: s.ingested,
    skipped: s.skipped,
    rejected: s.rejected,
    objects: s.objects,
    errors: s.errors.map((e) => ({ path: e.path, reason: e.reason })),
    seconds: s.seconds,
    cancelled: s.cancelled,
    labels: s.labels,
  };
}
