import type { AnnotationView, Input, Output } from '../../contract/contract';
import { recordAnnotation } from '../store/annotations';
import { getClass, liveClassId } from '../store/classes';
import { ProjectError } from '../store/errors';
import { containsPattern, findObjects } from '../store/find-objects';
import { assertObjectExists, type LabelOrigin } from '../store/labels';
import type { Db } from '../store/open';
import { latestRound } from '../store/rounds';
import type { EmitFn } from './session';

/**
 * Review and correct: find the objects already reviewed (a class's gallery, a search over
 * uid/file/note, the uncertain ones) and annotate an object with a note and a flag.
 */

export function findReviewed(db: Db, input: Input<'objects.find'>): Output<'objects.find'> {
  let classId: number | null = null;
  if (input.classId !== undefined) {
    if (!getClass(db, input.classId)) {
      throw new ProjectError(
        'not-found',
        `There is no class ${input.classId}; pick one from the taxonomy.`,
      );
    }
    // A merged class's labels now stand under the class it was merged into.
    classId = liveClassId(db, input.classId);
  }
  const text = input.text?.trim() ?? '';
  const { total, rows } = findObjects(db, {
    classId,
    pattern: text === '' ? null : containsPattern(text),
    uncertainOnly: input.uncertain ?? false,
    offset: input.offset ?? 0,
    limit: input.limit ?? 200,
  });
  return { total, items: rows.map((r) => ({ ...r, uncertain: r.uncertain === 1 })) };
}

/** Records the change as an event of the current round and tells every open page. */
export function annotateObject(
  db: Db,
  emit: EmitFn,
  input: Input<'object.annotate'>,
  origin: LabelOrigin,
): AnnotationView {
  assertObjectExists(db, input.id);
  if (input.note === undefined && input.uncertain === undefined) {
    throw new ProjectError('invalid', 'Give a note, the uncertain flag, or both.');
  }
  const { annotation, eventId } = recordAnnotation(db, {
    objectId: input.id,
    ...(input.note !== undefined ? { note: input.note.trim() } : {}),
    ...(input.uncertain !== undefined ? { uncertain: input.uncertain } : {}),
    round: latestRound(db)?.number ?? 0,
    origin,
  });
  const view = { objectId: input.id, ...annotation };
  if (eventId !== null) emit('annotation.changed', view);
  return view;
}
