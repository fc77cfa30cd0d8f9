/** Scores are written without re-checking their references, and nothing else loses the checks. */
import { describe, expect, it } from 'vitest';
import { getScore, saveModel, saveScores } from '../../src-main/engine/store';
import { memoryProject } from './helpers';

function withModel() {
  const { db, objectIds } = memoryProject(4);
  const modelId = saveModel(db, {
    round: null,
    backend: 'cpu',
    architecture: {},
    classMap: [1, 2],
    weights: new Uint8Array(4),
  });
  return { db, objectIds, modelId };
}

const row = (objectId: number) => ({ objectId, score: 0.5, probs: Float32Array.of(0.5, 0.5) });

describe('saveScores', () => {
  it('writes the scores and leaves foreign-key checks on for everything after it', () => {
    const { db, objectIds, modelId } = withModel();
    saveScores(db, modelId, objectIds.map(row));
    expect(getScore(db, objectIds[0]!)?.score).toBe(0.5);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() =>
      db
        .prepare(
          "INSERT INTO label_events (object_id, class_id, round, kind, origin, at) VALUES (999, 1, 1, 'label', 'user', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('keeps the checks inside a caller’s transaction (where the pragma cannot change)', () => {
    const { db, modelId } = withModel();
    expect(() => db.transaction(() => saveScores(db, modelId, [row(999)]))()).toThrow(
      /FOREIGN KEY/,
    );
  });
});
