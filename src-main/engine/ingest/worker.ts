/**
 * Worker-thread entry: decodes chunks of files and sends back objects with their pixels
 * transferred (not copied). The thread never touches the database: SQLite has one writer,
 * the thread that called ingest().
 */
import { parentPort } from 'node:worker_threads';
import { decodeChunk } from './decode';
import type { DecodeSettings, FromWorker, ToWorker } from './messages';
import { keepBuffer } from './pixel-sink';

let settings: DecodeSettings | null = null;
const port = parentPort!;

// Sending a chunk's pixels transfers (detaches) its buffer, and V8's first detach in a
// thread throws away every optimised function that touches typed arrays, to recompile it
// with detach checks: the decoder's hottest loops, just as they warmed up. Detaching a
// throwaway buffer before any code runs hot makes that happen once, at no cost.
{
  const { port1, port2 } = new MessageChannel();
  const throwaway = new ArrayBuffer(8);
  port1.postMessage(throwaway, [throwaway]);
  port1.close();
  port2.close();
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    settings = message.settings;
    return;
  }
  if (message.type === 'buffer') {
    keepBuffer(message.buffer);
    return;
  }
  decodeChunk(message.job, settings!).then(
    (result) =>
      port.postMessage({ type: 'result', result } satisfies FromWorker, [result.pixels.buffer]),
    (error: unknown) =>
      port.postMessage({
        type: 'failed',
        id: message.job.id,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies FromWorker),
  );
});
