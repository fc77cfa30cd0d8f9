import type { ProjectInfo } from '../contract/contract';

/** The project's cutout shapes in one line, and what a mix means for the hunt. */
export function describeCutouts({ shapes, problem }: ProjectInfo['cutouts']): string {
  const list = shapes.map((s) => `${s.objects} of ${s.size}×${s.size}×${s.bands}`).join(', ');
  if (problem) return `${list} — ${problem}`;
  if (shapes.length > 1) {
    const bands = Math.max(...shapes.map((s) => s.bands));
    return `${list} — the model sees every cutout in ${bands} bands, a one-band cutout repeated in each`;
  }
  return list;
}
