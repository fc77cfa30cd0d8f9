/**
 * Labelled catalogues out (CSV, FITS table, VOTable 1.4, JSON), the label history, the model
 * folder, scoring with an exported model, and loading scores computed elsewhere.
 * Every file is written atomically (temporary file beside the target, then rename).
 */
export { exportCatalogue, writeTable, TABLE_FORMATS } from './catalogue';
export type { CatalogueExportOptions, ExportResult, TableFormat } from './catalogue';
export { buildCatalogue, exportMeta } from './build-catalogue';
export type { CatalogueOptions } from './build-catalogue';
export { buildHistory, exportHistory } from './history';
export { exportModel, CLASSES_FILE } from './model';
export { modelOutputs } from './model-outputs';
export type { ModelExportResult } from './model';
export type { ModelOutput } from './model-outputs';
export { scoreWithModelFolder, outputColumnNames } from './score-project';
export type { ScoreExportResult, ScoreOptions } from './score-project';
export { importScores } from './import-scores';
export type { ImportScoresResult } from './import-scores';
export { csvField } from './csv';
export { parseCsv } from '../csv-table';
export { writeFileAtomic, isTempNameFor } from './atomic-write';
export { ExportError } from './errors';
export { INT_NULL, SOFTWARE, sanitiseName } from './table';
export type { Cell, ColumnType, ExportMeta, ExportTable, TableColumn } from './table';
