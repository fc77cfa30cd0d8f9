import { open } from 'node:fs/promises';

/** Writes and fsyncs a file, so the rename that publishes a model folder never exposes a hole. */
export async function writeFileDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
