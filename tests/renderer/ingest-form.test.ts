import './runes-shim';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src-main/contract/contract';
import { IngestStore } from '../../src-renderer/state/ingest.svelte';
import { FakeEngine } from './fake-engine';

const noErrors = (error: { message: string }) => {
  throw new Error(`unexpected error: ${error.message}`);
};

describe('the ingest form', () => {
  it('maps frames + a catalogue + prior labels onto the same request ahunt ingest sends', async () => {
    const { form } = new IngestStore(new FakeEngine({ objects: 10 }), noErrors);
    expect(form.requestInput()).toBeNull();
    form.paths = '/data/frames\n\n/data/more';
    form.size = 32;
    form.layout = 'grid';
    form.hdu = '1';
    form.bands = 'j, h ,k';
    form.cataloguePath = '/data/catalogue.csv';
    await form.inspectCatalogue();
    // The catalogue's columns come back with ingest's guesses as the starting mapping.
    expect(form.catalogue?.columns).toEqual(['name', 'RAJ2000', 'DEJ2000', 'mag']);
    expect([form.system, form.idColumn, form.raColumn, form.decColumn]).toEqual([
      'world',
      'name',
      'RAJ2000',
      'DEJ2000',
    ]);
    form.labelsPath = '/data/labels.csv';
    form.labelColumn = 'class';
    form.labelMatch = 'id';
    form.labelKeyColumn = 'name';
    form.normalNames = 'star, galaxy';
    const input = form.requestInput()!;
    expect(input).toEqual({
      paths: ['/data/frames', '/data/more'],
      size: 32,
      layout: 'grid',
      hdu: 1,
      bands: ['j', 'h', 'k'],
      catalogue: { path: '/data/catalogue.csv', id: 'name', ra: 'RAJ2000', dec: 'DEJ2000' },
      labels: {
        path: '/data/labels.csv',
        label: 'class',
        id: 'name',
        normalClasses: ['star', 'galaxy'],
      },
    });
    expect(validate('ingest.start', input).ok).toBe(true);

    // Pixel positions instead: x/y go in, RA/Dec stay out.
    form.system = 'pixel';
    form.xColumn = 'mag';
    form.yColumn = 'mag';
    expect(form.requestInput()!.catalogue).toEqual({
      path: '/data/catalogue.csv',
      id: 'name',
      x: 'mag',
      y: 'mag',
    });
  });

  it('previews cutouts before committing', async () => {
    const { form } = new IngestStore(new FakeEngine({ objects: 10 }), noErrors);
    form.paths = '/data/frames';
    await form.runPreview(4);
    expect(form.preview?.cutouts[0]).toMatchObject({ uid: 'frame.fits#a', bands: 1 });
    expect(form.previewing).toBe(false);
  });
});
