/**
 * A small survey on disk, ingested the three ways ingest cuts objects (grid tiles, catalogue
 * windows, whole-image cutouts), and a project with a model to score it: what the cluster
 * tests score both locally and through the job.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCatalogue } from '../../src-main/engine/export';
import { ingest } from '../../src-main/engine/ingest';
import { createProject, type Project } from '../../src-main/engine/store';
import { addUntrainedModel } from '../../src-main/lab/cluster/untrained-model';
import { writeFits } from '../ingest/helpers';

export interface SurveyShape {
  size: number;
  /** Catalogue frames, and catalogue positions per frame (on a grid of `step` pixels). */
  catalogueFrames: number;
  step: number;
  frameSide: number;
  /** Frames cut into size × size tiles. */
  gridFrames: number;
  /** Single-object FITS files (one of them not square: it is resized). */
  cutouts: number;
}

export const SMALL: SurveyShape = {
  size: 16,
  catalogueFrames: 2,
  step: 6,
  frameSide: 96,
  gridFrames: 2,
  cutouts: 5,
};

/** Noise, a few blobs and a ring per frame; NaN holes in some frames (blank pixels). */
function sky(seed: number, side: number, holes: boolean): (x: number, y: number) => number {
  const blobs = Array.from({ length: 12 }, (_, k) => {
    const h = (n: number) => {
      const v = Math.sin(seed * 91.7 + k * 13.1 + n * 7.3) * 43758.5453;
      return v - Math.floor(v);
    };
    return { x: h(1) * side, y: h(2) * side, s: 1 + 3 * h(3), peak: 30 + 400 * h(4) };
  });
  return (x, y) => {
    if (holes && x > side * 0.7 && y < side * 0.12) return NaN;
    const n = Math.sin(seed * 12.9898 + x * 78.233 + y * 37.719) * 43758.5453;
    let v = 100 + (n - Math.floor(n) - 0.5) * 6;
    for (const b of blobs)
      v += b.peak * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.s * b.s));
    const r = Math.hypot(x - side / 2, y - side / 3);
    return v + 80 * Math.exp(-((r - 7) ** 2));
  };
}

export interface Survey {
  root: string;
  objects: number;
}

/** Writes the survey under `root`: catalogue/ (+ catalogue.csv), grid/, cutouts/. */
export function writeSurvey(root: string, shape: SurveyShape): Survey {
  const { size, frameSide: side, step } = shape;
  const lines = ['id,file,x,y'];
  for (let f = 0; f < shape.catalogueFrames; f++) {
    const name = `frame-${f}.fits`;
    writeFits(join(root, 'catalogue', name), side, side, sky(f + 1, side, f === 0));
    // 1-based centres from the very edge (padded cutouts) inwards.
    for (let y = 1; y <= side; y += step)
      for (let x = 1; x <= side; x += step) lines.push(`f${f}-${x}-${y},${name},${x + 0.25},${y}`);
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'catalogue.csv'), `${lines.join('\n')}\n`);
  for (let f = 0; f < shape.gridFrames; f++) {
    writeFits(join(root, 'grid', 'night-1', `tile-${f}.fits`), side, side, sky(f + 50, side, true));
  }
  for (let c = 0; c < shape.cutouts; c++) {
    const [w, h] = c === 0 ? [size + 9, size + 3] : [size, size];
    writeFits(join(root, 'cutouts', `obj-${c}.fits`), w, h, sky(c + 80, size, false));
  }
  const perFrame = Math.ceil(side / step) ** 2;
  const tiles = Math.floor(side / size) ** 2;
  return {
    root,
    objects: shape.catalogueFrames * perFrame + shape.gridFrames * tiles + shape.cutouts,
  };
}

/** Ingests the survey into a new project at `dir`, the way a user would, three runs. */
export async function ingestSurvey(dir: string, survey: Survey, size: number): Promise<Project> {
  const project = createProject(dir, { name: 'cluster test survey' });
  const { root } = survey;
  await ingest(project, [join(root, 'catalogue')], {
    size,
    catalogue: { path: join(root, 'catalogue.csv') },
  });
  await ingest(project, [join(root, 'grid')], { size, layout: 'grid' });
  await ingest(project, [join(root, 'cutouts')], { size, layout: 'cutout' });
  return project;
}

/** Classes normal, unknown and ring, and an untrained model exported to `modelDir`. */
export async function addModel(project: Project, modelDir: string, size: number): Promise<void> {
  await addUntrainedModel(project, modelDir, size, 'wasm');
}

/** The object list a user hands the job: `ahunt export --format csv`. */
export function exportObjectList(project: Project, out: string): string {
  return exportCatalogue(project, { format: 'csv', out }).path;
}
