/**
 * Dataset specs as the CLI takes them: `mnist:<dir>`, `folder:<dir>`, `csv:<file>`.
 */
import path from 'node:path';
import { loadCsv } from './csv';
import { loadFolder } from './folder';
import { loadMnist } from './mnist';
import { DatasetError } from './types';
import type { LabelledImages, LoadOptions } from './types';

export { DatasetError } from './types';
export type { LabelledImages, LoadOptions } from './types';
export { loadMnist, parseIdx } from './mnist';
export { loadFolder } from './folder';
export { loadCsv } from './csv';

export async function loadDataset(
  spec: string,
  options: LoadOptions = {},
): Promise<LabelledImages> {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : '';
  const target = colon > 0 ? path.resolve(spec.slice(colon + 1)) : '';
  switch (kind) {
    case 'mnist':
      return loadMnist(target, options);
    case 'folder':
      return loadFolder(target, options);
    case 'csv':
      return loadCsv(target, options);
    default:
      throw new DatasetError(
        `Unknown dataset "${spec}"; use mnist:<folder>, folder:<folder with one subfolder per class> or csv:<file with file,label columns>.`,
      );
  }
}
