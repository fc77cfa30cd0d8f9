/** `ahunt samp` as a user runs it: a real hub and peer, the CLI in its own process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../store/helpers';
import { astropyAvailable, Hub, Peer, skyProject } from './helpers';

const haveAstropy = astropyAvailable();

function ahunt(args: string[], sampHub: string) {
  const r = spawnSync(process.execPath, ['bin/ahunt.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SAMP_HUB: sampHub },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.runIf(haveAstropy)('ahunt samp', () => {
  let dir: string;
  let hub: Hub;
  let peer: Peer;

  beforeAll(async () => {
    dir = tempDir('ahunt-samp-cli-');
    skyProject(join(dir, 'project'), 20).project.close();
    hub = await Hub.start(join(dir, 'lockfile'));
    peer = await Peer.start(hub, { name: 'Astropy Peer' });
  });
  afterAll(async () => {
    await peer?.stop();
    await hub?.stop();
  });

  it('send --class: the listening peer gets that class as a VOTable, through the api', async () => {
    const after = peer.lines.length;
    const r = ahunt(['samp', 'send', join(dir, 'project'), '--class', 'Merger'], hub.sampHub);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Sent class merger \(3 rows\) as table\.load\.votable to 1 client/);
    expect(r.out).toMatch(/Astropy Peer\s+ok/);
    const got = await peer.received('table.load.votable', after);
    expect(got.read!.rows).toBe(3);
  });

  it('status names the hub and the peer', () => {
    const r = ahunt(['samp', 'status', join(dir, 'project')], hub.sampHub);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Hub\s+.*127\.0\.0\.1/);
    expect(r.out).toMatch(
      /Astropy Peer\s+table\.load\.votable, image\.load\.fits, coord\.pointAt\.sky/,
    );
  });

  const wrong: [string, (project: string) => string[], RegExp][] = [
    [
      'an unknown class',
      (p) => ['samp', 'send', p, '--class', 'nope'],
      /there is no class "nope"; the classes are: .*merger/,
    ],
    [
      'an unknown --what',
      (p) => ['samp', 'send', p, '--object', '1', '--what', 'banana'],
      /--what must be one of cutout, frame, point/,
    ],
    [
      '--object without --what',
      (p) => ['samp', 'send', p, '--object', '1'],
      /--object and --what go together/,
    ],
    [
      'an object that is not there',
      (p) => ['samp', 'send', p, '--object', '999', '--what', 'point'],
      /There is no object 999/,
    ],
    [
      'a project that is not there',
      (p) => ['samp', 'send', `${p}-missing`],
      /does not exist\. Create a project there \(ahunt init/,
    ],
    ['no action', (p) => ['samp', 'fly', p], /say what to do: ahunt samp status\|send/],
  ];
  it.each(wrong)('%s is one sentence and exit 1', (_, args, message) => {
    const r = ahunt(args(join(dir, 'project')), hub.sampHub);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('without a hub: a sentence that says what to start', () => {
    const r = ahunt(
      ['samp', 'send', join(dir, 'project')],
      `std-lockurl:file://${join(dir, 'none')}`,
    );
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(
      /^ahunt samp: No SAMP hub is connected \(no SAMP hub is running \(no lockfile at .*none\)\)\. Start TOPCAT, DS9 or Aladin/,
    );
  });
});
