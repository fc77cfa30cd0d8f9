/** `folder:<dir>`: one subfolder per class (its name is the class name), image files inside. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { decodeImageFiles } from './image-files';
import { DatasetError } from './types';
import type { LabelledImages, LoadOptions } from './types';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif']);

export async function loadFolder(dir: string, options: LoadOptions = {}): Promise<LabelledImages> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DatasetError(
      `Dataset folder ${dir} does not exist; folder: needs a folder with one subfolder per class.`,
    );
  }
  const classNames = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .filter((name) => !options.classes || options.classes.includes(name))
    .sort();
  if (classNames.length === 0) {
    throw new DatasetError(
      `${dir} has no class subfolders; put each class's images in a subfolder named after it.`,
    );
  }
  const files: string[] = [];
  const labels: number[] = [];
  classNames.forEach((name, classIndex) => {
    const classDir = path.join(dir, name);
    for (const file of readdirSync(classDir).sort()) {
      if (!IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase())) continue;
      files.push(path.join(classDir, file));
      labels.push(classIndex);
    }
  });
  if (files.length === 0)
    throw new DatasetError(
      `No image files (JPEG/PNG/WebP/TIFF) in the class subfolders of ${dir}.`,
    );
  const images = await decodeImageFiles(files, options);
  return { images, labels: Int32Array.from(labels), classNames, source: `folder:${dir}` };
}
