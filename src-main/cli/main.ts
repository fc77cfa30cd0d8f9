import { ApiFailure, toApiError } from '../app/errors';
import { UserError, type CliIo } from './command';
import { printable } from './printable';
import { commands } from './registry';

const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'ahunt — active anomaly hunting in survey images',
    '',
    'Usage: ahunt <command> [options]   (ahunt <command> --help for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 success, 1 a problem with your input (the reason is printed), 2 an internal error.',
  ].join('\n');
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
  };
}

/** Runs one command line; returns the exit code (never throws). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`ahunt: unknown command "${printable(name)}". Run ahunt --help for the list.`);
    return 1;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.usage);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    // The app layer's translator, as for the window and the server: a user's mistake is one
    // line and exit 1; anything else is a bug, exit 2.
    const translated = toApiError(asUserError(error));
    if (translated.code !== 'internal') {
      io.err(`ahunt ${name}: ${oneLine(translated.message)}`);
      return 1;
    }
    // A failure that came back from the api has had its stack logged there already.
    const detail =
      error instanceof ApiFailure ? error.message : ((error as Error)?.stack ?? String(error));
    io.err(`ahunt ${name}: internal error: ${detail.split('\n').map(printable).join('\n')}`);
    return 2;
  }
}

/** Errors from node:util parseArgs (unknown option, missing value) are the user's to fix. */
function asUserError(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    return new UserError((error as Error).message);
  return error;
}

/** A message on one line, with the user's paths in it made safe for a terminal. */
function oneLine(message: string): string {
  return printable(message.replace(/\s*\n\s*/g, ' ').trim());
}
