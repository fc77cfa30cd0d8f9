/** Writes a simulation plot: SVG as is, PNG by rendering that SVG with sharp (librsvg). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { renderSimulationSvg } from './svg';
import type { PlotRun } from './svg';

export { renderSimulationSvg } from './svg';
export type { PlotRun } from './svg';

export async function writeSimulationPlot(
  file: string,
  runs: readonly PlotRun[],
  title?: string,
): Promise<void> {
  const svg = renderSimulationSvg(runs, title);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.svg') {
    writeFileSync(file, svg);
  } else if (ext === '.png') {
    // density 144 = 2× the SVG's 72 dpi, for a sharp image on high-DPI screens.
    await sharp(Buffer.from(svg), { density: 144 }).png().toFile(file);
  } else {
    throw new Error(`Cannot write plot ${file}: use a .svg or .png file name.`);
  }
}
