import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventName, Events } from '../../contract/contract';
import { defaultDemoDir, prepareDemo } from '../../app/demo';
import { ProjectHost } from '../../app/host';
import { recentProjectsFile, rendererDir } from '../../app/user-data';
import { tokenProblem } from '../../server/auth';
import { startServer, type RunningServer } from '../../server/server';
import { intOption, parse } from '../args';
import { UserError, type Command } from '../command';
import { terminalDemoReporter } from '../demo-progress';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'open a project in the browser (local server on 127.0.0.1, token-protected)',
  usage: [
    'ahunt serve [project] [--port N] [--token T] [--no-open]',
    '',
    'Serves the workstation for <project> (default: the built-in demo survey, created on first use)',
    'at http://127.0.0.1:<port>/?token=<token>. Only this machine can connect, and only with the token.',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        port: { type: 'string' },
        token: { type: 'string' },
        'no-open': { type: 'boolean' },
        host: { type: 'string' },
      },
      { min: 0, max: 1, usage: 'ahunt serve [project] [--port N] [--token T] [--no-open]' },
    );
    const tokenError = values.token === undefined ? null : tokenProblem(values.token);
    if (tokenError) throw new UserError(tokenError);
    const ui = rendererDir();
    if (!existsSync(join(ui, 'index.html'))) {
      throw new UserError(
        'the renderer is not built yet: run npm run build (npm start does it for you).',
      );
    }
    const address = values.host ?? '127.0.0.1';
    if (!['127.0.0.1', 'localhost', '::1'].includes(address)) {
      throw new UserError(
        'the server only listens on this machine (127.0.0.1); other hosts are refused.',
      );
    }
    const dir = positionals[0] ?? (await prepareDemo(defaultDemoDir(), terminalDemoReporter(io)));
    let server: RunningServer | null = null;
    // Events before the server listens reach nobody; pages fetch the state when they connect.
    const emit = <E extends EventName>(event: E, payload: Events[E]) =>
      server?.broadcast(event, payload);
    const host = await ProjectHost.start(dir, {
      emit,
      autoStart: true,
      recentFile: recentProjectsFile(),
    });
    server = await startServer({
      services: host.services,
      rendererDir: ui,
      host: address,
      port: intOption(values.port, 'port', 0),
      ...(values.token ? { token: values.token } : {}),
      log: (m) => io.err(m),
    });
    io.out(`AHUNT serving ${host.workspace.project.dir} at ${server.url}`);
    const running = server;
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
    await host.close();
    return 0;
  },
};
