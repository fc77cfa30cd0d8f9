/// <reference types="svelte" />
/** The Export dialog: writes the labelled catalogue through the engine and reports where. */
import { tableFormats, type AhuntApi, type ApiError } from '../../src-main/contract/contract';
import { makeRequester, type Requester } from './requester';

/** The window exports catalogues; the history and the model are the command line's. */
export type ExportFormat = (typeof tableFormats)[number];

const EXTENSIONS: Record<ExportFormat, string> = {
  csv: 'csv',
  fits: 'fits',
  votable: 'vot',
  json: 'json',
};

/** A file name that says what it holds: catalogue-labelled-2026-11-23.fits. */
export function defaultFileName(format: ExportFormat, labelledOnly: boolean, today: Date): string {
  const day = today.toISOString().slice(0, 10);
  return `catalogue${labelledOnly ? '-labelled' : ''}-${day}.${EXTENSIONS[format]}`;
}

export class ExportStore {
  format = $state<ExportFormat>('fits');
  labelledOnly = $state(true);
  /** Empty = the default name, written into the project's exports/ folder. */
  fileName = $state('');
  running = $state(false);
  result = $state<{ path: string; rows: number } | null>(null);
  private readonly request: Requester;

  constructor(
    api: AhuntApi,
    report: (error: ApiError) => void,
    // A timestamp for a file name, read once per export: not reactive state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    private readonly now: () => Date = () => new Date(),
  ) {
    this.request = makeRequester(api, report);
  }

  /** The last export's result belongs to the project that was open. */
  reset(): void {
    this.result = null;
  }

  get target(): string {
    return this.fileName.trim() || defaultFileName(this.format, this.labelledOnly, this.now());
  }

  async run(): Promise<boolean> {
    if (this.running) return false;
    this.running = true;
    this.result = null;
    const result = await this.request('export.run', {
      format: this.format,
      out: this.target,
      labelledOnly: this.labelledOnly,
    });
    this.running = false;
    this.result = result;
    return result !== null;
  }
}
