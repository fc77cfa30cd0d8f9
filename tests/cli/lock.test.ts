/**
 * The project lock holds for every door: while a window (here the app host, as the desktop
 * and `ahunt serve` open it) has a project open, the commands that write it are refused with
 * who holds it; the read-only ones (info, export) run on a consistent snapshot.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../src-main/app/dispatch';
import { openHeadless } from '../../src-main/app/headless';
import { ProjectHost } from '../../src-main/app/host';
import type { CliIo } from '../../src-main/cli/command';
import { main } from '../../src-main/cli/main';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from '../store/helpers';

function captured(): CliIo & { out: (t: string) => void; lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    interactive: false,
    out: (t) => lines.push(t),
    err: (t) => errors.push(t),
  };
}

describe('the project lock from the command line', () => {
  const dir = join(tempDir(), 'held');
  const scratch = tempDir();
  let host: ProjectHost;

  beforeAll(async () => {
    syntheticProject(dir, 40, 2).project.close();
    host = await ProjectHost.start(dir, {
      makeRunner: createLocalRunner,
      recentFile: join(scratch, 'recent.json'),
    });
  });
  afterAll(async () => {
    await host.close();
  });

  it('refuses ingest, score --import-scores and restore while the project is open, saying who holds it', async () => {
    const survey = join(scratch, 'survey');
    mkdirSync(survey, { recursive: true });
    writeFileSync(join(survey, 'a.png'), 'not really');
    writeFileSync(join(scratch, 'scores.csv'), 'uid,score\n');
    for (const argv of [
      ['ingest', dir, survey],
      ['score', dir, '--import-scores', join(scratch, 'scores.csv')],
      ['restore', dir],
    ]) {
      const io = captured();
      expect(await main(argv, io)).toBe(1);
      expect(io.errors).toHaveLength(1);
      expect(io.errors[0]).toMatch(
        new RegExp(`^ahunt ${argv[0]}: .*held is open in this AHUNT process \\(since .+\\)`),
      );
    }
  });

  it('lets info and export read a snapshot meanwhile', async () => {
    const info = captured();
    expect(await main(['info', dir, '--json'], info)).toBe(0);
    expect(JSON.parse(info.lines[0]!).counts.objects).toBe(40);
    const out = join(scratch, 'catalogue.csv');
    const exported = captured();
    expect(await main(['export', dir, '--format', 'csv', '--out', out], exported)).toBe(0);
    expect(exported.lines).toEqual([`${out}  40 rows`]);
    expect(existsSync(out)).toBe(true);
  });

  it('reads one snapshot for the whole request, whatever the window writes meanwhile', async () => {
    const reader = openHeadless(dir, { kind: 'read' });
    const before = await call(reader.services, 'project.info', {});
    const normal = host.services.session.state().classes.find((c) => c.kind === 'normal')!;
    host.services.session.label(1, normal.id, 1);
    const during = await call(reader.services, 'project.info', {});
    await reader.close();
    const after = openHeadless(dir, { kind: 'read' });
    const now = await call(after.services, 'project.info', {});
    await after.close();
    expect(before.ok && during.ok && now.ok).toBe(true);
    if (!before.ok || !during.ok || !now.ok) return;
    expect(during.value.counts.labelled).toBe(before.value.counts.labelled);
    expect(now.value.counts.labelled).toBe((before.value.counts.labelled ?? 0) + 1);
  });

  it('takes the lock itself once the window has let go', async () => {
    await host.close();
    const io = captured();
    expect(await main(['restore', dir, '--list'], io)).toBe(0);
    // No backups yet, but the project is free: restore looks for one instead of refusing.
    const restore = captured();
    expect(await main(['restore', dir], restore)).toBe(1);
    expect(restore.errors[0]).toMatch(/has no automatic backups/);
    host = await ProjectHost.start(dir, {
      makeRunner: createLocalRunner,
      recentFile: join(scratch, 'recent.json'),
    });
  });
});
