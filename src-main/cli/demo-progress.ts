import type { DemoReporter } from '../app/demo';
import type { CliIo } from './command';

/** The demo's first-start note on stderr, with a count redrawn in place on a terminal. */
export function terminalDemoReporter(io: CliIo): DemoReporter {
  return {
    say: (text) => io.err(text),
    ...(io.interactive
      ? {
          progress: (done: number, total: number) =>
            process.stderr.write(`\r  ${done}/${total} cutouts`),
          endProgress: () => process.stderr.write('\n'),
        }
      : {}),
  };
}
