import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The path of a `*.child.ts` script in this folder. */
export function childScript(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/**
 * Runs a child script (TypeScript, through tsx) and SIGKILLs it as soon as `killWhen` says so
 * about a line it printed: the kill is tied to what the child reports, never to a timer.
 * Resolves with every line printed; rejects when the child ends any other way, so a test
 * cannot pass without a real kill.
 */
export function runUntilKilled(
  script: string,
  args: string[],
  killWhen: (line: string, lines: readonly string[]) => boolean,
): Promise<string[]> {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript(script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        if (!proc.killed && killWhen(line, lines)) proc.kill('SIGKILL');
      }
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && proc.killed) resolve(lines);
      else
        reject(
          new Error(
            `${script} ended by itself (code ${code}, signal ${signal}) before it was killed.\n` +
              `Last lines: ${lines.slice(-5).join(' | ')}\n${stderr.slice(-2000)}`,
          ),
        );
    });
  });
}

/** The numbers that follow `tag` on the lines that start with it. */
export function numbersAfter(lines: readonly string[], tag: string): number[] {
  return lines.filter((l) => l.startsWith(`${tag} `)).map((l) => Number(l.slice(tag.length + 1)));
}
