// System packages the checks need, installed from Debian's apt when missing and possible
// (CI and fresh machines run as root); otherwise we print the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium'), why: 'browser tests' },
  { pkg: 'fitsverify', present: () => hasCommand('fitsverify'), why: 'FITS export checks' },
  {
    pkg: 'libcfitsio-bin',
    present: () => hasCommand('fpack'),
    why: 'tile-compressed FITS fixtures',
  },
  {
    pkg: 'python3-astropy',
    present: () =>
      spawnSync('/usr/bin/python3', ['-c', 'import astropy'], { stdio: 'ignore' }).status === 0,
    why: 'reading exports back with astropy, and the SAMP hub and peer (astropy.samp)',
  },
  {
    pkg: 'python3-distributed',
    present: () =>
      spawnSync('/usr/bin/python3', ['-c', 'import distributed'], { stdio: 'ignore' }).status === 0,
    why: 'the Dask cluster scoring test',
  },
  {
    pkg: 'jsamp',
    present: () => hasCommand('jsamp'),
    why: "JSAMP's SAMP hub, the second hub tested",
  },
  {
    pkg: 'topcat',
    present: () => hasCommand('topcat'),
    why: "TOPCAT's table reader (STIL) reading the tables SAMP sends",
  },
  { pkg: 'saods9', present: () => hasCommand('ds9'), why: 'DS9 reading our region files back' },
  {
    pkg: 'aladin',
    present: () => existsSync('/usr/share/java/aladin.jar'),
    why: 'Aladin as a real SAMP peer (tables, cutouts, point-at)',
  },
  { pkg: 'xvfb', present: () => hasCommand('xvfb-run'), why: 'running DS9 without a display' },
];

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Installs what is missing; returns the packages still missing afterwards. */
export function ensureSystemDeps({ log = console.log } = {}) {
  const missing = wanted.filter((w) => !w.present());
  if (missing.length === 0) return [];
  const names = missing.map((m) => m.pkg);
  // Shown to a person without options; run by us waiting for dpkg's lock (below).
  const aptInstall = (options) =>
    `apt-get${options} update && apt-get${options} install -y ${names.join(' ')}`;
  const command = aptInstall('');
  const canInstall =
    process.platform === 'linux' && process.getuid?.() === 0 && hasCommand('apt-get');
  if (canInstall) {
    log(
      `Installing system packages for ${missing.map((m) => m.why).join(', ')}: ${names.join(' ')}`,
    );
    // Another apt (an unattended upgrade, a second checkout's install) may hold dpkg's lock:
    // wait for it rather than fail, as a person would.
    const install = aptInstall(' -o DPkg::Lock::Timeout=600');
    try {
      execFileSync('sh', ['-c', `${install} >/dev/null`], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      log(`Could not install them. Run as root: ${command}`);
    }
  }
  const still = wanted.filter((w) => !w.present()).map((w) => w.pkg);
  if (still.length > 0)
    log(`Missing system packages: ${still.join(' ')}. Install them with: sudo ${command}`);
  return still;
}
