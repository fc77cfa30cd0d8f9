import { crc32, deflateSync } from 'node:zlib';

/**
 * The icon our SAMP metadata points at (hubs and TOPCAT show it beside the client's name):
 * a dark sky with a field of faint stars and one bright orange object ringed — the anomaly.
 * Drawn here as a 64 × 64 PNG so the engine serves it without a resource file.
 */
export function sampIconPng(size = 64): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const c = size / 2;
  const paint = (x: number, y: number, r: number, g: number, b: number) => {
    const i = (y * size + x) * 4;
    rgba[i] = r;
    rgba[i + 1] = g;
    rgba[i + 2] = b;
    rgba[i + 3] = 255;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c + 0.5, y - c + 0.5);
      if (d > c) continue; // transparent outside the disc
      paint(x, y, 14, 20, 38);
      if (Math.abs(d - c * 0.55) < 1.6) paint(x, y, 255, 176, 64); // the ring
      if (d < c * 0.2) paint(x, y, 255, 200, 90); // the object
    }
  }
  for (const [sx, sy] of [
    [0.22, 0.3],
    [0.78, 0.24],
    [0.7, 0.8],
    [0.3, 0.74],
    [0.86, 0.55],
  ] as const)
    paint(Math.round(sx * size), Math.round(sy * size), 200, 210, 235);
  return png(size, size, rgba);
}

function png(width: number, height: number, rgba: Uint8Array): Uint8Array {
  // Each scanline starts with filter type 0 (none).
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++)
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
