/// <reference types="svelte" />
/** An ingest run started from the renderer: its progress and its final report. */
import type {
  AhuntApi,
  ApiError,
  Events,
  IngestReport,
  Input,
} from '../../src-main/contract/contract';
import { FolderBrowsing } from './folder-browsing.svelte';
import { IngestForm, parsePaths } from './ingest-form.svelte';

export { parsePaths };
import { makeRequester, type Requester } from './requester';

export class IngestStore {
  running = $state(false);
  progress = $state<Events['ingest.progress'] | null>(null);
  report = $state<IngestReport | null>(null);
  /** Choosing data folders by browsing (the browser door has no file dialog). */
  readonly folders: FolderBrowsing;
  /** What to ingest and how: paths, cutouts, catalogue, prior labels, the preview. */
  readonly form: IngestForm;
  private readonly request: Requester;

  constructor(
    private readonly api: AhuntApi,
    onError: (error: ApiError) => void,
  ) {
    this.request = makeRequester(api, onError);
    this.folders = new FolderBrowsing(this.request);
    this.form = new IngestForm(this.request);
  }

  subscribe(): () => void {
    const offs = [
      this.api.on('ingest.progress', (progress) => {
        this.running = true;
        this.progress = progress;
      }),
      this.api.on('ingest.done', (report) => {
        this.running = false;
        this.report = report;
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  reset(): void {
    this.running = false;
    this.progress = null;
    this.report = null;
  }

  /** Paths one per line (blank lines ignored); size in pixels or undefined for the default. */
  async start(pathsText: string, size?: number): Promise<boolean> {
    const paths = parsePaths(pathsText);
    if (paths.length === 0) return false;
    return this.run(size === undefined ? { paths } : { paths, size });
  }

  /** Starts an ingest with every option the form (or `ahunt ingest`) can give. */
  async run(input: Input<'ingest.start'>): Promise<boolean> {
    this.report = null;
    this.progress = null;
    const result = await this.request('ingest.start', input);
    this.running = result?.started ?? false;
    return this.running;
  }

  async cancel(): Promise<void> {
    await this.request('ingest.cancel', {});
  }

  /** Fraction done in [0, 1], or null before the first progress event. */
  get fraction(): number | null {
    const p = this.progress;
    if (!p || p.total <= 0) return null;
    return Math.min(1, p.done / p.total);
  }
}
