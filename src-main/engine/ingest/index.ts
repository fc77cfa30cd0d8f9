/** Ingestion: survey files → normalised cutouts in the project store. */
export { ingest } from './ingest';
export { IngestError } from './errors';
export { denormalise, type BandScale } from './normalise';
export { readCatalogue, parseCatalogue, type Catalogue, type CatalogueEntry } from './catalogue';
export { importLabels, readLabelsFile } from './labels';
export { scanPaths } from './scan';
export { groupUnits, KNOWN_BANDS } from './bands';
export type * from './types';
