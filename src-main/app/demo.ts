import { join } from 'node:path';
import { ensureDemoProject } from '../engine/demo';
import { userDataDir } from './user-data';

export function defaultDemoDir(): string {
  return join(userDataDir(), 'demo');
}

/** How a door shows the demo's one-time preparation: a first line, then a count on a terminal. */
export interface DemoReporter {
  say(text: string): void;
  /** Progress in place (a terminal's carriage return); absent where lines would pile up. */
  progress?(done: number, total: number): void;
  endProgress?(): void;
}

/** The built-in demo survey, generated and ingested on first use (seconds), reused after. */
export async function prepareDemo(dir: string, report: DemoReporter): Promise<string> {
  let announced = false;
  const project = await ensureDemoProject(dir, {
    onProgress: (p: { done: number; total: number }) => {
      if (!announced) {
        report.say(`Preparing the demo survey in ${dir} (first start only)…`);
        announced = true;
      }
      report.progress?.(p.done, p.total);
    },
  });
  if (announced) report.endProgress?.();
  const root = project.dir;
  project.close();
  return root;
}
