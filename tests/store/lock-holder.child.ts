/**
 * Child for the lock tests: for each project folder it reads on stdin, tries to lock it and
 * prints "held" or "refused <message>"; it keeps every lock it got until it is killed or its
 * stdin closes. One line at a time, so several children can be made to race.
 */
import { createInterface } from 'node:readline';
import { lockProject } from '../../src-main/engine/store/project-lock';

createInterface({ input: process.stdin }).on('line', (dir) => {
  try {
    lockProject(dir);
    process.stdout.write('held\n');
  } catch (error) {
    process.stdout.write(`refused ${(error as Error).message}\n`);
  }
});
process.stdout.write('ready\n');
