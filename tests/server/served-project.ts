/** The real server on a small synthetic project, with a stand-in renderer, for the door tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../../src-main/app/dispatch';
import type { EmitFn } from '../../src-main/engine/hunt/session';
import { ProjectHost } from '../../src-main/app/host';
import { startServer, type RunningServer } from '../../src-main/server/server';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from '../store/helpers';

export async function serveSyntheticProject(options: {
  objects: number;
  rings: number;
  emit?: EmitFn;
  /** Wraps the services the server gets (e.g. a spy). */
  wrap?: (services: Services) => Services;
  log?: (message: string) => void;
}): Promise<{ host: ProjectHost; server: RunningServer }> {
  const dir = tempDir();
  syntheticProject(dir, options.objects, options.rings).project.close();
  const ui = join(tempDir(), 'renderer');
  mkdirSync(ui, { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>AHUNT</title>');
  const host = await ProjectHost.start(dir, {
    emit: options.emit ?? (() => {}),
    recentFile: join(tempDir(), 'recent.json'),
  });
  const server = await startServer({
    services: options.wrap ? options.wrap(host.services) : host.services,
    rendererDir: ui,
    log: options.log ?? (() => {}),
  });
  return { host, server };
}
