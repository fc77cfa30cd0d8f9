import type { Decoder } from './decoder';
import type { ChunkJob, ChunkResult } from './messages';

/**
 * Feeds chunks to the decoder, keeping at most `decoder.capacity` in flight (bounded
 * memory; one more while a chunk that ended early is finished), and hands results to
 * `write` strictly in chunk order, so object ids follow file order on every run. Returns
 * true when the signal stopped it; chunks decoded but not yet written are then dropped
 * (their files stay untouched and a re-run does them).
 */
export async function pumpChunks(
  decoder: Decoder,
  jobs: ChunkJob[],
  signal: AbortSignal | undefined,
  write: (result: ChunkResult) => void,
): Promise<boolean> {
  let onAbort = () => {};
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (signal?.aborted) onAbort();
  });
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const results: (Promise<ChunkResult> | undefined)[] = [];
    let dispatched = 0;
    for (let next = 0; next < jobs.length; next++) {
      while (dispatched < jobs.length && dispatched - next < decoder.capacity) {
        const promise = decoder.decode(jobs[dispatched]!);
        promise.catch(() => {}); // an abandoned (cancelled) chunk must not surface later
        results[dispatched++] = promise;
      }
      let job = jobs[next]!;
      let pending = results[next]!;
      results[next] = undefined;
      for (;;) {
        const result = await Promise.race([pending, aborted]);
        if (result === 'aborted' || signal?.aborted) return true;
        write(result);
        decoder.release(result);
        // Ended early to bound its pixels (see decodeChunk): the rest, before any later chunk.
        if (result.outcomes.length >= job.units.length) break;
        job = { id: job.id, units: job.units.slice(result.outcomes.length) };
        pending = decoder.decode(job);
        pending.catch(() => {});
      }
    }
    return false;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
