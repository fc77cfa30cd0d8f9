import { cutoutRadiusArcsec } from '../samp/nearest';
import { listClasses } from '../store/classes';
import { getObject } from '../store/objects';
import { assertSafeOutput } from '../store/output-guard';
import type { Project } from '../store/project';
import { writeFileAtomic } from './atomic-write';
import { buildCatalogue } from './build-catalogue';
import { ExportError } from './errors';

export type RegionCoords = 'image' | 'fk5';

export interface RegionExportOptions {
  out: string;
  /** image: pixel circles (1-based, as DS9 counts), grouped by frame; fk5: circles on the sky. */
  coords: RegionCoords;
  /** Default true: a region file marks what the user labelled. */
  labelledOnly?: boolean;
}

/**
 * The labelled objects as a DS9 region file (format 4.1): a circle the size of each cutout,
 * in its class's colour, with the class as its text. fk5 needs a sky position, so objects
 * without one are left out (and not counted); image coordinates group objects by the frame
 * (source file and HDU) they were cut from, each group under a comment naming it, since
 * pixel positions mean nothing across frames.
 */
export function exportRegions(
  project: Project,
  options: RegionExportOptions,
): { path: string; rows: number } {
  const path = assertSafeOutput(project, options.out, 'file');
  const table = buildCatalogue(project, { labelledOnly: options.labelledOnly ?? true });
  const column = (name: string) => table.columns.find((c) => c.name === name)!.values;
  const [cls, ra, dec, x, y, source, hdu] = ['class', 'ra', 'dec', 'x', 'y', 'source', 'hdu'].map(
    column,
  ) as [unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[]];
  const colours = new Map(listClasses(project.db).map((c) => [c.name, c.colour]));
  const lines: string[] = [];
  const groups = new Map<string, string[]>();
  for (let row = 0; row < table.rows; row++) {
    const objectId = table.objectIds![row]!;
    const className = String(cls[row] ?? '');
    const style = ` # color=${colours.get(className) ?? '#00ff00'} text={${regionText(className || 'unlabelled')}}`;
    if (options.coords === 'fk5') {
      if (typeof ra[row] !== 'number' || typeof dec[row] !== 'number') continue;
      const o = getObject(project.db, objectId)!;
      const radius = cutoutRadiusArcsec(project.db, {
        ...o,
        ra: ra[row] as number,
        dec: dec[row] as number,
      });
      lines.push(
        `circle(${(ra[row] as number).toFixed(7)},${(dec[row] as number).toFixed(7)},${radius.toFixed(3)}")${style}`,
      );
    } else {
      if (typeof x[row] !== 'number' || typeof y[row] !== 'number') continue;
      const size = getObject(project.db, objectId)!.size;
      const frame = `${String(source[row])}${hdu[row] === null ? '' : `[${String(hdu[row])}]`}`;
      const circle = `circle(${fixed(x[row] as number)},${fixed(y[row] as number)},${size / 2})${style}`;
      groups.set(frame, [...(groups.get(frame) ?? []), circle]);
    }
  }
  let body: string;
  let rows: number;
  if (options.coords === 'fk5') {
    body = `fk5\n${lines.join('\n')}`;
    rows = lines.length;
  } else {
    body = `image\n${[...groups].map(([frame, circles]) => `# frame: ${frame}\n${circles.join('\n')}`).join('\n')}`;
    rows = [...groups.values()].reduce((n, g) => n + g.length, 0);
  }
  if (rows === 0) {
    throw new ExportError(
      options.coords === 'fk5'
        ? 'No labelled object has a sky position: export the regions in image coordinates (--coords image).'
        : 'There are no labelled objects to export as regions yet.',
      path,
    );
  }
  const text =
    '# Region file format: DS9 version 4.1\n' +
    `# AHUNT Workstation: ${rows} labelled objects, one colour per class\n` +
    'global color=green dashlist=8 3 width=1 font="helvetica 10 normal roman" select=1 highlite=1 dash=0 fixed=0 edit=1 move=1 delete=1 include=1 source=1\n' +
    `${body}\n`;
  writeFileAtomic(path, (sink) => sink.write(text));
  return { path, rows };
}

/** Our 0-based pixel centres, in DS9's 1-based image coordinates. */
function fixed(v: number): string {
  return String(Math.round((v + 1) * 1000) / 1000);
}

/** DS9 delimits text with braces and cannot escape them; a newline would end the region. */
function regionText(name: string): string {
  return name.replace(/[{}\r\n#]/g, ' ').trim() || 'class';
}
