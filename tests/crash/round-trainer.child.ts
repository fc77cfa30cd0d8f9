/**
 * Child for the "killed while a round trains" test: runs round 1 of a hunt on the project in
 * argv[2], printing each question ("question <objectId>") and each acknowledged label
 * ("label <eventId>"), finishes the round, and prints "training" once the model is
 * training. Training is made far too long to end before the parent's kill arrives.
 */
import type { TrainingState } from '../../src-main/contract/contract';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { writeSettings } from '../../src-main/engine/hunt/settings';
import { findClassByName, openProject } from '../../src-main/engine/store';

const project = openProject(process.argv[2]!);
writeSettings(project.db, { epochs: 100_000 });
let announced = false;
const session = await HuntSession.open(project, createLocalRunner(), (event, payload) => {
  if (event !== 'training.progress' || announced) return;
  if ((payload as TrainingState).phase !== 'training') return;
  announced = true;
  process.stdout.write('training\n');
});
const state = await session.startRound();
for (const q of state.questions) process.stdout.write(`question ${q.objectId}\n`);
const normal = findClassByName(project.db, 'normal')!;
const odd = session.createClass('odd');
state.questions.forEach((q, i) => {
  const { eventId } = session.label(q.objectId, i === 0 ? odd.id : normal.id);
  process.stdout.write(`label ${eventId}\n`);
});
session.finishRound();
await session.idle();
process.stdout.write('finished\n');
