import { dirname } from 'node:path';
import { stemOf } from './scan';
import type { ScannedFile, Unit } from './types';

/**
 * Filter names in wavelength order. With `bands: 'auto'` a file is a band of a set only
 * when its name ends in one of these (`m51_g.fits`) and at least one sibling with the same
 * prefix ends in another: a lone `galaxy_r.fits` stays a single-band object.
 */
export const KNOWN_BANDS = [
  'u',
  'b',
  'g',
  'v',
  'r',
  'i',
  'z',
  'y',
  'j',
  'h',
  'k',
  'ks',
  'ch1',
  'ch2',
  'ch3',
  'ch4',
  'w1',
  'w2',
  'w3',
  'w4',
] as const;

const TOKEN = /^(.*[^_\-.])[_\-.]([a-z0-9]+)$/i;

export function splitBandToken(name: string): { prefix: string; token: string } | null {
  const m = TOKEN.exec(stemOf(name));
  return m ? { prefix: m[1]!, token: m[2]!.toLowerCase() } : null;
}

/**
 * Groups files into units: one object set per file, or per band set. Bands are ordered as
 * `--bands` lists them (or by wavelength for 'auto'); the first band's pixel grid is the
 * grid every other band is resampled onto.
 */
export function groupUnits(
  files: ScannedFile[],
  bands: string[] | 'auto' | 'none' = 'auto',
): Unit[] {
  if (bands === 'none') return files.map(single);
  const explicit = Array.isArray(bands)
    ? bands.map((b) => b.trim().toLowerCase()).filter(Boolean)
    : null;
  const allowed: readonly string[] = explicit ?? KNOWN_BANDS;
  const allowedSet = new Set(allowed);
  const groups = new Map<string, (ScannedFile & { band: string })[]>();
  const units: Unit[] = [];
  for (const file of files) {
    const folder = dirname(file.path);
    const name = file.path.slice(folder.length + 1);
    const split = mayNameBand(name, allowedSet) ? splitBandToken(name) : null;
    if (!split || !allowedSet.has(split.token)) {
      units.push(single(file));
      continue;
    }
    const key = `${folder}/${split.prefix}`;
    const members = groups.get(key) ?? [];
    members.push({ ...file, band: split.token });
    groups.set(key, members);
  }
  for (const [key, members] of groups) {
    if (!explicit && members.length < 2) {
      units.push(single(members[0]!));
      continue;
    }
    members.sort((a, b) => allowed.indexOf(a.band) - allowed.indexOf(b.band));
    const unit: Unit = { key, files: members };
    const names = members.map((m) => m.band);
    const duplicate = names.find((b, i) => names.indexOf(b) !== i);
    if (duplicate) {
      unit.problem = `band ${duplicate} appears in more than one file (${members
        .filter((m) => m.band === duplicate)
        .map((m) => m.rel)
        .join(', ')}); keep one file per band`;
    } else if (explicit) {
      const missing = explicit.filter((b) => !names.includes(b));
      if (missing.length > 0) {
        unit.problem = `this band set has ${names.join(', ')} but not ${missing.join(', ')} (--bands ${explicit.join(',')})`;
      }
    }
    if (members.some((m) => m.kind !== members[0]!.kind)) {
      unit.problem = 'this band set mixes FITS and JPEG/PNG files; use one kind per set';
    }
    const unreadable = members.find((m) => m.problem);
    if (unreadable) unit.problem = `${unreadable.rel} ${unreadable.problem}`;
    units.push(unit);
  }
  // Units in path order keep batches, uids and progress deterministic. Single files come
  // in the scan's (sorted) order: only band sets, added last, need a sort.
  if (groups.size === 0) return units;
  return units.sort((a, b) => (a.files[0]!.path < b.files[0]!.path ? -1 : 1));
}

/**
 * Whether the last token of the name (after its last `_`, `-` or `.`, before extensions)
 * could be a band: a quick test that spares most files of a survey the regular expressions.
 */
function mayNameBand(name: string, bands: ReadonlySet<string>): boolean {
  const stem = stemOf(name);
  const cut = Math.max(stem.lastIndexOf('_'), stem.lastIndexOf('-'), stem.lastIndexOf('.'));
  return cut > 0 && bands.has(stem.slice(cut + 1).toLowerCase());
}

function single(file: ScannedFile): Unit {
  const unit: Unit = {
    key: file.path,
    files: [{ path: file.path, real: file.real, rel: file.rel, kind: file.kind, band: null }],
  };
  if (file.problem) {
    unit.files[0]!.problem = file.problem;
    unit.problem = file.problem;
  }
  return unit;
}
