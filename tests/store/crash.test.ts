import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProject, labelHistory, openProject } from '../../src-main/engine/store';
import { tempDir } from './helpers';

const child = fileURLToPath(new URL('./label-writer.child.ts', import.meta.url));

describe('crash safety of label writes', () => {
  it('every label acknowledged before a SIGKILL is in the database afterwards', async () => {
    const dir = tempDir();
    createProject(dir).close();
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged: number[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      proc.on('error', reject);
      proc.on('exit', () => resolve());
      proc.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) acknowledged.push(Number(line));
        // Kill in the middle of the stream of writes, not between batches we control.
        if (acknowledged.length >= 300 && !proc.killed) proc.kill('SIGKILL');
      });
    });
    expect(proc.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    const project = openProject(dir);
    const stored = new Set(labelHistory(project.db).map((e) => e.id));
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
    project.close();
  });
});
