import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError, type CliIo } from '../../src-main/cli/command';
import { ingestCommand } from '../../src-main/cli/commands/ingest';
import { blob, tempDir, writeFits } from './helpers';
import { writeFileSync } from 'node:fs';

const tmp = tempDir();
afterAll(tmp.cleanup);

function captureIo(interactive = false): CliIo & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return {
    outText,
    errText,
    interactive,
    out: (t) => outText.push(t),
    err: (t) => errText.push(t),
  };
}

describe('ahunt ingest', () => {
  const survey = join(tmp.dir, 'survey');
  for (let i = 0; i < 3; i++) writeFits(join(survey, `g${i}.fits`), 64, 64, blob(i));
  writeFileSync(join(survey, 'bad.fits'), 'nope');

  it('--json prints exactly the summary fields, and creates the project on first use', async () => {
    const io = captureIo();
    const code = await ingestCommand.run(
      [join(tmp.dir, 'p1'), survey, '--json', '--size', '32'],
      io,
    );
    expect(code).toBe(0);
    expect(io.outText).toHaveLength(1);
    const result = JSON.parse(io.outText[0]!);
    expect(Object.keys(result)).toEqual(['ingested', 'skipped', 'rejected', 'errors', 'seconds']);
    expect(result).toMatchObject({ ingested: 3, skipped: 0, rejected: 1 });
    expect(result.errors).toEqual([{ path: join(survey, 'bad.fits'), reason: expect.any(String) }]);
    expect(typeof result.seconds).toBe('number');
    const again = captureIo();
    await ingestCommand.run([join(tmp.dir, 'p1'), survey, '--json'], again);
    expect(JSON.parse(again.outText[0]!)).toMatchObject({ ingested: 0, skipped: 3, rejected: 1 });
  });

  it('prints a readable summary, with progress lines only on a terminal', async () => {
    const io = captureIo(true);
    await ingestCommand.run([join(tmp.dir, 'p2'), survey], io);
    expect(io.outText.join('\n')).toMatch(
      /Ingested 3 files \(3 objects\) in .* s; 0 skipped as already ingested, 1 rejected\./,
    );
    expect(io.outText.join('\n')).toContain('bad.fits');
    expect(io.errText.some((l) => /^ingest: \d+\/4 files/.test(l))).toBe(true);
    const quiet = captureIo(false);
    await ingestCommand.run([join(tmp.dir, 'p3'), survey], quiet);
    expect(quiet.errText).toEqual([]);
  });

  it('refuses a path that does not exist, and bad options, as user errors (exit 1)', async () => {
    const missing = join(tmp.dir, 'missing');
    await expect(ingestCommand.run([join(tmp.dir, 'p4'), missing], captureIo())).rejects.toThrow(
      UserError,
    );
    await expect(ingestCommand.run([join(tmp.dir, 'p4'), missing], captureIo())).rejects.toThrow(
      /missing does not exist/,
    );
    await expect(
      ingestCommand.run([join(tmp.dir, 'p4'), survey, '--layout', 'tiles'], captureIo()),
    ).rejects.toThrow(/--layout must be auto, cutout or grid/);
    await expect(
      ingestCommand.run([join(tmp.dir, 'p4'), survey, '--ra', 'RA'], captureIo()),
    ).rejects.toThrow(/--catalogue/);
    await expect(
      ingestCommand.run(
        [join(tmp.dir, 'p4'), survey, '--catalogue', join(tmp.dir, 'none.csv')],
        captureIo(),
      ),
    ).rejects.toMatchObject({ userFacing: true, code: 'not-found' });
  });
});
