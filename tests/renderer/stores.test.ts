import './runes-shim';
import { describe, expect, it } from 'vitest';
import { DisplayStore, displayStorageKey } from '../../src-renderer/state/display.svelte';
import { HistoryStore } from '../../src-renderer/state/history.svelte';
import { IngestStore, parsePaths } from '../../src-renderer/state/ingest.svelte';
import { InspectorStore } from '../../src-renderer/state/inspector.svelte';
import { SettingsStore } from '../../src-renderer/state/settings.svelte';
import { memoryStorage } from '../../src-renderer/state/storage';
import { FakeEngine } from './fake-engine';

const noErrors = (error: { message: string }) => {
  throw new Error(`unexpected error: ${error.message}`);
};

describe('DisplayStore', () => {
  it('cycles and persists the display settings, ignoring junk in storage', () => {
    const storage = memoryStorage();
    const display = new DisplayStore(storage);
    display.cycleStretch(1);
    display.cycleLimits();
    display.cycleColormap();
    display.setCellSize(1000);
    display.toggleLockScale();
    const changed = { stretch: 'histeq', limits: 'minmax', colormap: 'viridis' };
    expect(display.options).toMatchObject(changed);
    expect(display.cellSize).toBe(320);
    // Choosing a size ends fitting the grid to its pane.
    expect(display.fit).toBe(false);
    const again = new DisplayStore(storage);
    expect(again.options).toMatchObject(changed);
    expect(again).toMatchObject({ fit: false, lockScale: true });
    storage.setItem(displayStorageKey, JSON.stringify({ stretch: 'bogus', cellSize: 'big' }));
    // The defaults: asinh between sky limits, cells that fill the pane, a scale per cell.
    expect(new DisplayStore(storage)).toMatchObject({
      stretch: 'asinh',
      limits: 'sky',
      fit: true,
      lockScale: false,
    });
  });
});

describe('IngestStore', () => {
  it('parses one path per line and follows progress to the report', async () => {
    expect(parsePaths(' /a \n\n/b\n')).toEqual(['/a', '/b']);
    const engine = new FakeEngine({ objects: 10 });
    const ingest = new IngestStore(engine, noErrors);
    const off = ingest.subscribe();
    expect(await ingest.start('   ')).toBe(false);
    expect(await ingest.start('/data/survey', 64)).toBe(true);
    expect(ingest.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ingest.fraction).toBe(1);
    expect(ingest.running).toBe(false);
    expect(ingest.report?.errors[0]?.path).toBe('/data/survey/broken.fits');
    off();
  });
});

describe('SettingsStore, HistoryStore, InspectorStore', () => {
  it('load and save through the engine', async () => {
    const engine = new FakeEngine({ objects: 30, queries: 5 });
    const settings = new SettingsStore(engine, noErrors);
    await settings.load();
    expect(settings.settings?.queries).toBe(5);
    expect(await settings.save({ queries: 12, strategy: 'uncertainty' })).toBe(true);
    expect(settings.settings).toMatchObject({ queries: 12, strategy: 'uncertainty' });

    const history = new HistoryStore(engine, noErrors);
    await history.load();
    expect(history.history?.rounds).toEqual([]);
    await history.loadLatent('umap');
    expect(history.latent?.method).toBe('umap');
    expect(history.latent?.points).toHaveLength(30);

    const inspector = new InspectorStore(engine, noErrors);
    await inspector.open(3);
    expect(inspector.object?.id).toBe(3);
    expect(inspector.loading).toBe(false);
  });

  it('the inspector keeps only the latest of quickly moving requests', async () => {
    const engine = new FakeEngine({ objects: 30 });
    const inspector = new InspectorStore(engine, noErrors, 20);
    const first = inspector.open(1);
    const second = inspector.open(2);
    await Promise.all([first, second]);
    expect(inspector.object?.id).toBe(2);
    expect(engine.calls.get('object.get')).toBe(1);
  });

  it('a failed request is reported as the engine sentence', async () => {
    const engine = new FakeEngine({ objects: 3 });
    const errors: string[] = [];
    const inspector = new InspectorStore(engine, (e) => errors.push(e.message));
    await inspector.open(99);
    expect(inspector.object).toBeNull();
    expect(errors).toEqual(['There is no object 99.']);
  });
});

describe('ExportStore', () => {
  it('names the file after the format and filter, and reports where it was written', async () => {
    const { ExportStore, defaultFileName } = await import('../../src-renderer/state/export.svelte');
    const day = new Date('2026-11-23T10:00:00Z');
    expect(defaultFileName('votable', true, day)).toBe('catalogue-labelled-2026-11-23.vot');
    expect(defaultFileName('fits', false, day)).toBe('catalogue-2026-11-23.fits');
    const engine = new FakeEngine({ objects: 10 });
    const store = new ExportStore(engine, noErrors, () => day);
    store.format = 'csv';
    expect(store.target).toBe('catalogue-labelled-2026-11-23.csv');
    store.fileName = '  /tmp/mine.csv ';
    expect(await store.run()).toBe(true);
    expect(store.result).toEqual({ path: '/tmp/mine.csv', rows: 0 });
    expect(store.running).toBe(false);
  });
});
