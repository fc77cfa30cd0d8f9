/**
 * Child for the "killed while ingesting" test: ingests the folder argv[3] into the project
 * argv[2], printing "done <files>" after every committed batch (the ingest progress report
 * comes after the batch's transaction), until it is killed.
 */
import { ingest } from '../../src-main/engine/ingest';
import { openProject } from '../../src-main/engine/store';

const [dir, folder] = process.argv.slice(2) as [string, string];
const project = openProject(dir);
await ingest(project, [folder], {
  size: 32,
  workers: 1,
  batchFiles: 100,
  onProgress: (p) => process.stdout.write(`done ${p.done}\n`),
});
process.stdout.write('finished\n');
