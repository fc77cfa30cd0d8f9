import type { ModelRunner, PageRequest, ScoredPage } from './runner';

export interface ScoringPlan {
  /** The project database and cutout shape every page request carries. */
  source: Omit<PageRequest, 'from' | 'to'>;
  /** Smallest and largest object id now; null when the project has no objects. */
  bounds: () => { first: number; last: number } | null;
  /** Object ids per page request. */
  rangeSize: number;
  /** Page requests queued at once: two per model replica keep each one's next page ready. */
  inFlight: number;
}

/**
 * Scores every unlabelled object through `runner.scorePage`, one id range per request, and
 * hands the pages to `onPage` in id order (the order questions are picked in, whatever
 * replica finished first). The bounds are read again when the ranges run out, so objects
 * ingested while scoring are scored too.
 */
export async function scoreUnlabelledPages(
  runner: ModelRunner,
  plan: ScoringPlan,
  onPage: (page: ScoredPage) => void,
): Promise<void> {
  let bounds = plan.bounds();
  if (!bounds) return;
  let next = bounds.first;
  const queue: Promise<ScoredPage>[] = [];
  const launch = (): boolean => {
    if (bounds && next > bounds.last) bounds = plan.bounds();
    if (!bounds || next > bounds.last) return false;
    const from = next;
    next += plan.rangeSize;
    queue.push(runner.scorePage({ ...plan.source, from, to: next }));
    return true;
  };
  try {
    while (queue.length < plan.inFlight && launch());
    while (queue.length > 0) {
      const page = await queue.shift()!;
      launch();
      onPage(page);
    }
  } finally {
    // After a failure the pages still queued are dropped; their errors must not go unhandled.
    for (const pending of queue) pending.catch(() => undefined);
  }
}
