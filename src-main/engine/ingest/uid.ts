import { splitBandToken } from './bands';
import type { Unit } from './types';

/**
 * The stable name a unit's objects are known by: the path relative to the folder the user
 * ingested (so moving the whole survey keeps uids), with a band set written as
 * `dir/prefix_{j,h,k}.fits`. Object uids append the HDU and position, e.g.
 * `frames/m51.fits[0]@128,64/64` or `frames/m51.fits[0]#NGC5194`.
 */
export function unitName(unit: Unit): string {
  const first = unit.files[0]!;
  if (unit.files.length === 1) return first.rel;
  const slash = first.rel.lastIndexOf('/');
  const dir = first.rel.slice(0, slash + 1);
  const name = first.rel.slice(slash + 1);
  const split = splitBandToken(name);
  const ext = name.slice(name.toLowerCase().lastIndexOf('.'));
  const prefix = split ? split.prefix : name;
  const separator = split ? name.charAt(split.prefix.length) : '_';
  return `${dir}${prefix}${separator}{${unit.files.map((f) => f.band).join(',')}}${ext}`;
}
