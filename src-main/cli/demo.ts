import { join } from 'node:path';
import { ensureDemoProject } from '../engine/demo';
import type { CliIo } from './command';
import { userDataDir } from './paths';

export function defaultDemoDir(): string {
  return join(userDataDir(), 'demo');
}

/** The built-in demo survey, generated and ingested on first use (seconds), reused after. */
export async function prepareDemo(dir: string, io: CliIo): Promise<string> {
  let announced = false;
  const project = await ensureDemoProject(dir, {
    onProgress: (p: { done: number; total: number }) => {
      if (!announced) {
        io.err(`Preparing the demo survey in ${dir} (first start only)…`);
        announced = true;
      }
      if (io.interactive) process.stderr.write(`\r  ${p.done}/${p.total} cutouts`);
    },
  });
  if (announced && io.interactive) process.stderr.write('\n');
  const root = project.dir;
  project.close();
  return root;
}
