/**
 * Issue #19, finding 7: the small edges of the doors. A hand-picked server token must be
 * hard to guess; the operating system's pseudo-file systems are neither a place for a
 * project nor something the folder browser lists.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import { listFolder } from '../../src-main/engine/projects/folders';
import { createProject, openProject } from '../../src-main/engine/store/project';
import { startServer } from '../../src-main/server/server';
import { tempDir } from '../store/helpers';

const linux = process.platform === 'linux';

describe('ahunt serve --token', () => {
  it('refuses a short or URL-unsafe token with a sentence, before opening anything', async () => {
    for (const token of [
      'a',
      'short-token',
      'has spaces in it, long enough',
      'ümlaut-ümlaut-ümlaut',
    ]) {
      const lines: string[] = [];
      const io = {
        out: (t: string) => lines.push(t),
        err: (t: string) => lines.push(t),
        interactive: false,
      };
      expect(
        await main(['serve', join(tempDir(), 'none'), '--token', token, '--no-open'], io),
        token,
      ).toBe(1);
      expect(lines.join('\n')).toMatch(
        /^ahunt serve: the token (must be at least 16|may hold only)/,
      );
    }
  });

  it('startServer itself refuses a weak token', async () => {
    await expect(
      startServer({ services: {} as never, rendererDir: tempDir(), token: 'abc', log: () => {} }),
    ).rejects.toThrow(/at least 16 characters/);
  });
});

describe.runIf(linux)("the operating system's own folders", () => {
  it('are no place for a project: refused with a reason, nothing written', () => {
    for (const dir of ['/dev', '/proc/self', '/sys/kernel', '/dev/shm/ahunt-project']) {
      expect(() => createProject(dir), dir).toThrow(/operating system's own files/);
      expect(() => openProject(dir), dir).toThrow(/operating system's own files/);
    }
    expect(existsSync('/dev/ahunt.sqlite')).toBe(false);
    expect(existsSync('/dev/shm/ahunt-project')).toBe(false);
  });

  it('are not listed by the folder browser, which still lists the rest of the machine', () => {
    for (const dir of ['/proc', '/proc/self/fd', '/sys', '/dev']) {
      expect(() => listFolder(dir), dir).toThrow(/does not list them/);
    }
    const root = listFolder('/').entries.map((e) => e.name);
    expect(root).not.toContain('proc');
    expect(root).not.toContain('dev');
    expect(root).toEqual(
      expect.arrayContaining(readdirSync('/').filter((n) => ['usr', 'tmp'].includes(n))),
    );
    const mine = tempDir();
    expect(listFolder(join(mine)).dir).toBe(mine);
  });
});
