/// <reference types="svelte" />
/**
 * The Ingest view's form: what `ahunt ingest` takes on its command line, as fields. Survey
 * paths, cutout size, layout, HDU and bands; a catalogue of positions to cut out of frames
 * (its columns listed so the user maps id, RA/Dec or x/y and the frame column); a file of
 * prior labels; and a preview of the first cutouts before anything is written.
 */
import type { IngestPreview, Input, Layout, TableColumns } from '../../src-main/contract/contract';
import type { Requester } from './requester';

export type PositionSystem = 'world' | 'pixel';
export type LabelMatch = 'file' | 'id';

export class IngestForm {
  paths = $state('');
  size = $state<number | undefined>(undefined);
  layout = $state<Layout>('auto');
  /** An HDU number or EXTNAME; empty for the first image HDU big enough. */
  hdu = $state('');
  /** auto, none, or band tokens bluest first (j,h,k). */
  bands = $state('auto');

  cataloguePath = $state('');
  catalogue = $state<TableColumns | null>(null);
  system = $state<PositionSystem>('world');
  idColumn = $state('');
  raColumn = $state('');
  decColumn = $state('');
  xColumn = $state('');
  yColumn = $state('');
  /** Empty: every row is looked for on every frame. */
  frameColumn = $state('');

  labelsPath = $state('');
  labels = $state<TableColumns | null>(null);
  labelColumn = $state('');
  labelMatch = $state<LabelMatch>('file');
  labelKeyColumn = $state('');
  /** Label names imported as normal classes, comma-separated. */
  normalNames = $state('');

  preview = $state<IngestPreview | null>(null);
  previewing = $state(false);

  constructor(private readonly request: Requester) {}

  /** Reads the catalogue's header and takes ingest's guesses as the starting mapping. */
  async inspectCatalogue(): Promise<void> {
    const path = this.cataloguePath.trim();
    this.catalogue = null;
    if (!path) return;
    const table = await this.request('table.inspect', { path });
    if (!table) return;
    this.catalogue = table;
    const g = table.guess;
    this.idColumn = g.id ?? '';
    this.raColumn = g.ra ?? '';
    this.decColumn = g.dec ?? '';
    this.xColumn = g.x ?? '';
    this.yColumn = g.y ?? '';
    this.frameColumn = g.file ?? '';
    this.system = g.ra && g.dec ? 'world' : g.x && g.y ? 'pixel' : 'world';
  }

  async inspectLabels(): Promise<void> {
    const path = this.labelsPath.trim();
    this.labels = null;
    if (!path) return;
    const table = await this.request('table.inspect', { path });
    if (!table) return;
    this.labels = table;
    this.labelColumn =
      table.guess.label && table.columns.includes(table.guess.label) ? table.guess.label : '';
    const byFile = table.columns.find((c) => c.toLowerCase() === 'file');
    this.labelMatch = byFile || !table.guess.id ? 'file' : 'id';
    this.labelKeyColumn = byFile ?? table.guess.id ?? '';
  }

  /** The ingest request these fields make (the same one `ahunt ingest` sends). */
  requestInput(): Input<'ingest.start'> | null {
    const paths = parsePaths(this.paths);
    if (paths.length === 0) return null;
    const input: Input<'ingest.start'> = { paths };
    if (this.size !== undefined && this.size !== null) input.size = this.size;
    if (this.layout !== 'auto') input.layout = this.layout;
    const hdu = this.hdu.trim();
    if (hdu) input.hdu = /^\d+$/.test(hdu) ? Number(hdu) : hdu;
    const bands = this.bands.trim();
    if (bands && bands !== 'auto') {
      input.bands =
        bands === 'none'
          ? 'none'
          : bands
              .split(',')
              .map((b) => b.trim())
              .filter(Boolean);
    }
    const catalogue = this.cataloguePath.trim();
    if (catalogue) {
      input.catalogue = { path: catalogue };
      const set = (key: 'id' | 'ra' | 'dec' | 'x' | 'y' | 'file', value: string) => {
        if (value) input.catalogue![key] = value;
      };
      set('id', this.idColumn);
      if (this.system === 'world') {
        set('ra', this.raColumn);
        set('dec', this.decColumn);
      } else {
        set('x', this.xColumn);
        set('y', this.yColumn);
      }
      set('file', this.frameColumn);
    }
    const labels = this.labelsPath.trim();
    if (labels) {
      input.labels = { path: labels };
      if (this.labelColumn) input.labels.label = this.labelColumn;
      if (this.labelKeyColumn) input.labels[this.labelMatch] = this.labelKeyColumn;
      const normal = this.normalNames
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      if (normal.length > 0) input.labels.normalClasses = normal;
    }
    return input;
  }

  /** Decodes the first few cutouts with these options; nothing is written. */
  async runPreview(limit = 8): Promise<void> {
    const input = this.requestInput();
    if (!input) return;
    const { labels: _labels, workers: _workers, ...source } = input;
    this.previewing = true;
    try {
      this.preview = await this.request('ingest.preview', { ...source, limit });
    } finally {
      this.previewing = false;
    }
  }
}

/** Paths one per line, blank lines ignored. */
export function parsePaths(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
