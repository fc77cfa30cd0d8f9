// Child process for the crash test: writes labels as fast as it can and prints the id of
// each label event once recordLabel has returned (i.e. once it is acknowledged).
import {
  findClassByName,
  insertObject,
  openProject,
  recordLabel,
  recordSource,
} from '../../src-main/engine/store';

const project = openProject(process.argv[2]!);
const { db } = project;
const normal = findClassByName(db, 'normal')!;
const sourceId = recordSource(
  db,
  { path: '/crash/src.fits', size: 1, mtimeMs: 0, kind: 'fits' },
  'ingested',
  0,
);
for (let i = 0; ; i++) {
  const objectId = insertObject(db, {
    uid: `crash-${i}`,
    sourceId,
    bands: 1,
    size: 1,
    pixelFormat: 'f32',
  });
  const eventId = recordLabel(db, { objectId, classId: normal.id, round: 1, origin: 'ui' });
  process.stdout.write(`${eventId}\n`);
}
