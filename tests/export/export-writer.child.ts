/**
 * Child process for the atomicity test: exports the catalogue as CSV to the same target again
 * and again until it is killed, printing "begin <n>" once each write's temporary file is open
 * (so a kill on that line lands inside the write, not before it). Each write takes ≥ 0.3 s.
 */
import { buildCatalogue } from '../../src-main/engine/export';
import { writeFileAtomic } from '../../src-main/engine/export/atomic-write';
import { writeCsv } from '../../src-main/engine/export/csv';
import { openProject } from '../../src-main/engine/store';

const [dir, target] = process.argv.slice(2) as [string, string];
const project = openProject(dir, { readonly: true });
const table = buildCatalogue(project);
for (let n = 0; n < 1000; n++) {
  writeFileAtomic(target, (sink) => {
    process.stdout.write(`begin ${n}\n`);
    // Slow each piece down, so a busy parent's kill still lands inside the write.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    writeCsv(table, {
      write(chunk) {
        sink.write(chunk);
        Atomics.wait(pause, 0, 0, 10);
      },
    });
  });
}
