import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import {
  DatasetError,
  loadCsv,
  loadDataset,
  loadFolder,
  loadMnist,
} from '../../src-main/lab/datasets/index';
import { haveDataset } from '../shared-datasets';

const repoRoot = path.resolve(__dirname, '../..');
const mnistDir = path.resolve(repoRoot, '../shared/datasets/mnist');
const haveMnist = haveDataset('mnist');

function idx(dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, Buffer.from(values)]));
}

let tmp = '';
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ahunt-datasets-'));
  // Tiny MNIST: 3 images of 2×2, labels 7, 0, 7.
  const mnist = path.join(tmp, 'mnist');
  mkdirSync(mnist);
  writeFileSync(
    path.join(mnist, 'train-images-idx3-ubyte.gz'),
    idx([3, 2, 2], [0, 255, 51, 102, 255, 255, 255, 255, 0, 0, 0, 0]),
  );
  writeFileSync(path.join(mnist, 'train-labels-idx1-ubyte.gz'), idx([3], [7, 0, 7]));
  // Folder dataset: class "b" has one white 4×4 PNG, class "a" one red 8×8 PNG (resized to 4).
  for (const [cls, name, size, colour] of [
    ['b', 'w.png', 4, { r: 255, g: 255, b: 255 }],
    ['a', 'r.png', 8, { r: 255, g: 0, b: 0 }],
  ] as const) {
    mkdirSync(path.join(tmp, 'folder', cls), { recursive: true });
    await sharp({ create: { width: size, height: size, channels: 3, background: colour } })
      .png()
      .toFile(path.join(tmp, 'folder', cls, name));
  }
  writeFileSync(path.join(tmp, 'folder', 'a', 'notes.txt'), 'not an image');
  writeFileSync(
    path.join(tmp, 'labels.csv'),
    'file,label,label_name\nfolder/b/w.png,1,white\n"folder/a/r.png",0,red\n',
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mnist: loader', () => {
  it('parses gzip IDX into [0,1] floats with labels', () => {
    const d = loadMnist(path.join(tmp, 'mnist'));
    expect(d.images).toMatchObject({ count: 3, size: 2, bands: 1 });
    expect(Array.from(d.images.data.slice(0, 4))).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect(Array.from(d.labels)).toEqual([7, 0, 7]);
    expect(d.classNames).toHaveLength(10);
  });
  it('filters classes by name', () => {
    const d = loadMnist(path.join(tmp, 'mnist'), { classes: ['7'] });
    expect(d.images.count).toBe(2);
    expect(d.images.data[4]).toBe(0); // second kept image is the all-zero one
  });
  it('names the folder when nothing is there', () => {
    expect(() => loadMnist(path.join(tmp, 'nowhere'))).toThrow(DatasetError);
    expect(() => loadMnist(path.join(tmp, 'folder'))).toThrow(/No MNIST IDX files in .*folder/);
  });
  it.skipIf(!haveMnist)('reads the real MNIST (70,000 digits, known class counts)', () => {
    const d = loadMnist(mnistDir, { classes: ['0', '5'] });
    const counts = [0, 0];
    for (const l of d.labels) counts[l === 0 ? 0 : 1]!++;
    // train 5923 + test 980 zeros; train 5421 + test 892 fives.
    expect(counts).toEqual([5923 + 980, 5421 + 892]);
    expect(d.images.size).toBe(28);
  });
});

describe('folder: and csv: loaders', () => {
  it('reads one subfolder per class, resizing to a common size', async () => {
    const d = await loadFolder(path.join(tmp, 'folder'), { size: 4, bands: 3 });
    expect(d.classNames).toEqual(['a', 'b']);
    expect(Array.from(d.labels)).toEqual([0, 1]);
    expect(d.images).toMatchObject({ count: 2, size: 4, bands: 3 });
    expect(Array.from(d.images.data.slice(0, 3))).toEqual([1, 0, 0]); // red
    expect(d.images.data[4 * 4 * 3]).toBe(1); // white
  });
  it('converts to grey when asked', async () => {
    const d = await loadFolder(path.join(tmp, 'folder'), { size: 2, bands: 1 });
    expect(d.images.data.length).toBe(2 * 2 * 2);
    expect(d.images.data[4]).toBeCloseTo(1, 2);
  });
  it('reads file,label CSVs with paths relative to the CSV and label names', async () => {
    const d = await loadDataset(`csv:${path.join(tmp, 'labels.csv')}`, { size: 4, bands: 3 });
    expect(d.classNames).toEqual(['red', 'white']);
    expect(Array.from(d.labels)).toEqual([1, 0]);
    expect(d.images.data[0]).toBe(1);
  });
  it('explains bad inputs, naming the file', async () => {
    writeFileSync(path.join(tmp, 'bad.csv'), 'path,class\nx.png,1\n');
    await expect(loadCsv(path.join(tmp, 'bad.csv'))).rejects.toThrow(/bad\.csv needs a header/);
    writeFileSync(path.join(tmp, 'missing.csv'), 'file,label\nnope.png,1\n');
    await expect(loadCsv(path.join(tmp, 'missing.csv'))).rejects.toThrow(
      /nope\.png does not exist/,
    );
    await expect(loadDataset('zip:foo')).rejects.toThrow(/Unknown dataset/);
  });
  it('reads labels with the catalogue reader: quoted fields, and an unclosed quote named', async () => {
    writeFileSync(path.join(tmp, 'quoted.csv'), 'file,"label"\n"no, such.png",1\n');
    await expect(loadCsv(path.join(tmp, 'quoted.csv'))).rejects.toThrow(
      /line 2: image .*no, such\.png does not exist/,
    );
    writeFileSync(path.join(tmp, 'open.csv'), 'file,label\n"x.png,1\n');
    await expect(loadCsv(path.join(tmp, 'open.csv'))).rejects.toThrow(
      /open\.csv: line 2: a quoted field \("\) is never closed/,
    );
  });
});
