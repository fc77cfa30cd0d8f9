import type { PixelData } from './contract';

/**
 * The binary form of a batch of cutouts, shared by the local server (writer) and the browser
 * door (reader). A grid of 64 questions is one request instead of 64: each round trip cost
 * ~5 ms of browser overhead on top of a sub-millisecond read, and the browser runs only six
 * at a time per server.
 *
 * Layout, little-endian:
 *   u32 count
 *   count × { u32 objectId, u32 size, u32 bands }   size 0: no such object
 *   the float32 pixels of each present object, in order (NHWC, size·size·bands values)
 */
export const MAX_PIXEL_BATCH = 512;

const HEADER_WORDS = 3;

export function encodePixelBatch(ids: readonly number[], items: (PixelData | null)[]): Uint8Array {
  const headerBytes = 4 + ids.length * HEADER_WORDS * 4;
  const dataBytes = items.reduce((n, p) => n + (p ? p.data.byteLength : 0), 0);
  const out = new Uint8Array(headerBytes + dataBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, ids.length, true);
  let at = headerBytes;
  ids.forEach((id, i) => {
    const p = items[i] ?? null;
    const base = 4 + i * HEADER_WORDS * 4;
    view.setUint32(base, id, true);
    view.setUint32(base + 4, p ? p.size : 0, true);
    view.setUint32(base + 8, p ? p.bands : 0, true);
    if (!p) return;
    out.set(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength), at);
    at += p.data.byteLength;
  });
  return out;
}

/**
 * Reads a batch written by encodePixelBatch, checking it answers exactly `ids` (in order)
 * and that every size adds up; null where the server has no such object.
 */
export function decodePixelBatch(ids: readonly number[], bytes: ArrayBuffer): (PixelData | null)[] {
  const view = new DataView(bytes);
  const bad = (why: string) => new Error(`The server's pixel batch is malformed: ${why}.`);
  if (bytes.byteLength < 4 || view.getUint32(0, true) !== ids.length)
    throw bad('it does not answer the objects asked for');
  let at = 4 + ids.length * HEADER_WORDS * 4;
  if (bytes.byteLength < at) throw bad('its header is cut short');
  return ids.map((id, i) => {
    const base = 4 + i * HEADER_WORDS * 4;
    if (view.getUint32(base, true) !== id) throw bad(`object ${id} is not where it should be`);
    const size = view.getUint32(base + 4, true);
    const bands = view.getUint32(base + 8, true);
    if (size === 0) return null;
    const length = size * size * bands;
    if (at + length * 4 > bytes.byteLength) throw bad(`object ${id}'s pixels are cut short`);
    // A copy, so each cutout's array is its own (and 4-byte aligned whatever the header).
    const data = new Float32Array(bytes.slice(at, at + length * 4));
    at += length * 4;
    return { size, bands, data };
  });
}

/** The ids of a `?ids=1,2,3` query, or a sentence saying what is wrong with them. */
export function parsePixelIds(text: string | null): number[] | string {
  if (!text) return 'Give the objects as ?ids=1,2,3.';
  const parts = text.split(',');
  if (parts.length > MAX_PIXEL_BATCH)
    return `At most ${MAX_PIXEL_BATCH} objects per request, not ${parts.length}.`;
  const ids = parts.map(Number);
  if (!ids.every((id) => Number.isInteger(id) && id >= 1 && id <= 0xffffffff))
    return 'Object ids are positive whole numbers.';
  return ids;
}

/**
 * Reads a batch through a door's one-object reader; an object that cannot be read (deleted,
 * never existed) is null in the answer rather than failing its 63 neighbours.
 */
export function readPixelBatch(
  ids: readonly number[],
  read: (objectId: number) => PixelData,
): (PixelData | null)[] {
  return ids.map((id) => {
    try {
      return read(id);
    } catch {
      return null;
    }
  });
}
