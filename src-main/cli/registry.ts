import type { Command } from './command';
import { infoCommand } from './commands/info';
import { initCommand } from './commands/init';
import { serveCommand } from './commands/serve';

/** Every `ahunt` sub-command, in the order `ahunt --help` lists them. */
export const commands: readonly Command[] = [initCommand, infoCommand, serveCommand];
