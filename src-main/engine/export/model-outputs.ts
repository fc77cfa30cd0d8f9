import { listClasses, type ClassKind } from '../store/classes';
import type { ModelRow } from '../store/models';
import type { Db } from '../store/open';

/*
 * A model's softmax columns named by the project's classes. Apart from the model export (which
 * loads tfjs) because importing scores needs them too, and should not load the model's code.
 */

export interface ModelOutput {
  index: number;
  classId: number | null;
  /** The class the column was trained for (its name when the model was exported). */
  name: string;
  kind: ClassKind | null;
  /** The class it stands for now, after merges. */
  liveClassId: number | null;
  liveName: string | null;
  /** Weight in the anomaly score; a merged class counts only through its live class's column. */
  interest: number;
}

/** The model's softmax columns, from its class_map (output index → class id at training time). */
export function modelOutputs(db: Db, row: Pick<ModelRow, 'class_map'>): ModelOutput[] {
  const all = listClasses(db, { includeMerged: true });
  const byId = new Map(all.map((c) => [c.id, c]));
  const classMap = JSON.parse(row.class_map) as number[];
  return classMap.map((classId, index) => {
    const own = byId.get(classId);
    let live = own;
    for (let hops = 0; live && live.merged_into !== null && hops < 100; hops++) {
      live = byId.get(live.merged_into);
    }
    return {
      index,
      classId: own?.id ?? null,
      name: own?.name ?? `output${index}`,
      kind: own?.kind ?? null,
      liveClassId: live?.id ?? null,
      liveName: live?.name ?? null,
      interest: own && own.merged_into === null ? own.interest : 0,
    };
  });
}
