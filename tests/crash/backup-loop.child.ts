/**
 * Child for the "killed while backing up" test: backs up the project in argv[2] again and
 * again, printing "begin <n>" just before each backup starts, until it is killed.
 */
import { backupDatabase, openProject } from '../../src-main/engine/store';

const project = openProject(process.argv[2]!);
for (let n = 0; ; n++) {
  process.stdout.write(`begin ${n}\n`);
  await backupDatabase(project, 'loop');
}
