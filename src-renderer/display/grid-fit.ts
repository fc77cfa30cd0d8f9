/**
 * The grid's layout when it fills its pane: how many columns, and how large a cell, so that
 * `count` square cells fit the pane with nothing cut off and as little left empty as possible.
 * Every column count is tried (a batch is at most a few hundred) and the largest cell wins.
 */
export interface GridFit {
  columns: number;
  /** Side of a cell's image in CSS pixels (the cell's border and the gaps come on top). */
  cell: number;
}

export function fitGrid(
  width: number,
  height: number,
  count: number,
  {
    gap = 6,
    border = 2,
    min = 48,
    max = 640,
  }: Partial<Record<'gap' | 'border' | 'min' | 'max', number>> = {},
): GridFit {
  const n = Math.max(1, count);
  let best: GridFit = { columns: 1, cell: min };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const across = (width - (columns - 1) * gap) / columns - 2 * border;
    const down = (height - (rows - 1) * gap) / rows - 2 * border;
    const cell = Math.floor(Math.min(across, down, max));
    if (cell > best.cell) {
      best = { columns, cell };
    }
  }
  if (best.cell <= min) {
    // Too many for the pane even at the smallest size: the smallest cells, as many across as
    // fit, and the pane scrolls.
    const columns = Math.max(1, Math.floor((width + gap) / (min + 2 * border + gap)));
    return { columns: Math.min(columns, n), cell: min };
  }
  return best;
}
