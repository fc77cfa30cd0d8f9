import { countObjects, countObjectsAfter, maxObjectId } from '../store/objects';
import type { Db } from '../store/open';

/**
 * The project's object count for session.state(), which the window asks for after every
 * keystroke: count(*) walks a whole index (10^6 entries, tens of milliseconds), so the count
 * is kept and brought up to date by counting only the ids above the highest one seen. Objects
 * are only ever appended (ingest); if the highest id ever goes down (a rolled-back ingest),
 * everything is counted again.
 */
export class ObjectCount {
  private highest = -1;
  private count = 0;

  constructor(private readonly db: Db) {}

  get(): number {
    const highest = maxObjectId(this.db);
    if (highest === this.highest) return this.count;
    if (highest > this.highest && this.highest >= 0) {
      this.count += countObjectsAfter(this.db, this.highest);
    } else {
      this.count = countObjects(this.db);
    }
    this.highest = highest;
    return this.count;
  }
}
