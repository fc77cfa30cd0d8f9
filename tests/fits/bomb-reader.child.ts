/**
 * Child for the decompression-bomb tests: reads argv[3] with `ahunt fits` (argv[2] = fits)
 * or ingests it into a new project argv[4] through one decoding worker (argv[2] = ingest),
 * then prints one JSON line: what happened, and the process's peak resident memory (which
 * counts every thread, the worker's included).
 */
import { fitsCommand } from '../../src-main/cli/commands/fits';
import { ingest } from '../../src-main/engine/ingest';
import { createProject } from '../../src-main/engine/store';

const [mode, file, projectDir] = process.argv.slice(2) as [string, string, string];
let outcome: unknown;
try {
  if (mode === 'fits') {
    let printed = '';
    const code = await fitsCommand.run([file, '--json'], {
      out: (t) => (printed += t),
      err: () => {},
      interactive: false,
    });
    outcome = { code, report: JSON.parse(printed) as unknown };
  } else {
    const project = createProject(projectDir);
    const s = await ingest(project, [file], { size: 32, workers: 1 });
    project.close();
    outcome = { ingested: s.ingested, rejected: s.rejected, errors: s.errors };
  }
} catch (error) {
  outcome = { error: (error as Error).message };
}
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ outcome, peakMb })}\n`);
