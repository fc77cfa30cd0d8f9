import type { TableColumn } from './table';

/** The catalogue's columns before the per-class probabilities, empty, in file order. */
export function fixedColumns(): TableColumn[] {
  const column = (c: Omit<TableColumn, 'values'>): TableColumn => ({ ...c, values: [] });
  return [
    column({ name: 'uid', type: 'string', ucd: 'meta.id;meta.main', description: 'object id' }),
    column({ name: 'source', type: 'string', ucd: 'meta.dataset', description: 'source file' }),
    column({
      name: 'hdu',
      type: 'int',
      ucd: 'meta.id.part',
      description: 'HDU in the source file (0 = primary)',
    }),
    column({
      name: 'x',
      type: 'double',
      unit: 'pixel',
      ucd: 'pos.cartesian.x',
      description: 'pixel x in the source image (0-based)',
    }),
    column({
      name: 'y',
      type: 'double',
      unit: 'pixel',
      ucd: 'pos.cartesian.y',
      description: 'pixel y in the source image (0-based)',
    }),
    column({
      name: 'ra',
      type: 'double',
      unit: 'deg',
      ucd: 'pos.eq.ra;meta.main',
      description: 'right ascension, from the source WCS',
    }),
    column({
      name: 'dec',
      type: 'double',
      unit: 'deg',
      ucd: 'pos.eq.dec;meta.main',
      description: 'declination, from the source WCS',
    }),
    column({
      name: 'class',
      type: 'string',
      ucd: 'src.class',
      description: 'current class (after merges)',
    }),
    column({
      name: 'class_kind',
      type: 'string',
      ucd: 'meta.code.class',
      description: 'normal, anomaly or reserve',
    }),
    column({
      name: 'label_round',
      type: 'int',
      ucd: 'meta.number',
      description: 'round of the current label',
    }),
    column({
      name: 'labelled_at',
      type: 'string',
      ucd: 'time.creation',
      description: 'time of the current label (ISO 8601 UTC)',
    }),
    column({
      name: 'seconds_spent',
      type: 'double',
      unit: 's',
      ucd: 'time.duration',
      description: 'expert time over all label events',
    }),
    column({
      name: 'label_changes',
      type: 'int',
      ucd: 'meta.number',
      description: 'label events in force beyond the first',
    }),
    column({
      name: 'note',
      type: 'string',
      ucd: 'meta.note',
      description: "the expert's free-text note",
    }),
    column({
      name: 'uncertain',
      type: 'int',
      ucd: 'meta.code.qual',
      description: '1 when the expert flagged the label as uncertain',
    }),
    column({
      name: 'asked_round',
      type: 'int',
      ucd: 'meta.number',
      description: 'latest round that asked about it',
    }),
    column({
      name: 'asked_rank',
      type: 'int',
      ucd: 'meta.number',
      description: 'rank of the question in that round (1 = first)',
    }),
    column({
      name: 'score',
      type: 'double',
      ucd: 'stat.probability',
      description: 'anomaly score: interest-weighted class probability',
    }),
    column({
      name: 'score_round',
      type: 'int',
      ucd: 'meta.number',
      description: 'round of the model that gave the score',
    }),
  ];
}
