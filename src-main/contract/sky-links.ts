/**
 * Where an object's sky position can be looked at on the web: Aladin Lite (the surveys around
 * it), the Legacy Survey viewer (deep optical imaging) and SIMBAD (known objects by
 * coordinates). Shared by the renderer, which shows the links, and the desktop door, which
 * opens only these hosts in the system browser.
 */

export interface SkyLink {
  name: string;
  url: string;
}

export const SKY_LINK_HOSTS: readonly string[] = [
  'aladin.cds.unistra.fr',
  'www.legacysurvey.org',
  'simbad.cds.unistra.fr',
];

/** Decimal degrees as the services read them; Dec always signed ("+2.5"), SIMBAD needs that. */
function degrees(ra: number, dec: number): { ra: string; dec: string } {
  return { ra: ra.toFixed(6), dec: `${dec >= 0 ? '+' : ''}${dec.toFixed(6)}` };
}

/** Links for a position (ICRS degrees); none for a position that is not one. */
export function skyLinks(ra: number, dec: number): SkyLink[] {
  if (!Number.isFinite(ra) || !Number.isFinite(dec) || dec < -90 || dec > 90) return [];
  const p = degrees(((ra % 360) + 360) % 360, dec);
  const target = encodeURIComponent(`${p.ra} ${p.dec}`);
  return [
    {
      name: 'Aladin Lite',
      url: `https://aladin.cds.unistra.fr/AladinLite/?target=${target}&fov=0.05`,
    },
    {
      name: 'Legacy Survey',
      url: `https://www.legacysurvey.org/viewer?ra=${p.ra}&dec=${p.dec.replace('+', '')}&zoom=16`,
    },
    {
      name: 'SIMBAD',
      url: `https://simbad.cds.unistra.fr/simbad/sim-coo?Coord=${target}&CooFrame=ICRS&Radius=10&Radius.unit=arcsec`,
    },
  ];
}

/** True for an https URL on one of the sky services (the desktop door opens nothing else). */
export function isSkyLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && SKY_LINK_HOSTS.includes(u.hostname);
  } catch {
    return false;
  }
}
