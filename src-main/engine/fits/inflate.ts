import { createGunzip, gunzipSync } from 'node:zlib';
import { FitsError } from './errors';
import { BLOCK_LENGTH, CARD_LENGTH, locateHeaderEnd, parseHeader } from './header';
import { MAX_HEADER_BYTES, MAX_INFLATED_BYTES } from './limits';
import { describeHdu, startsWith } from './structure';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
/** Output handed back per step of the stream: a bomb is caught within one of these. */
const STREAM_CHUNK = 1024 * 1024;
/**
 * A small file is first inflated in one synchronous call capped at QUICK_OUTPUT (zlib stops
 * once it passes the cap): a stream costs ~0.5 ms more per file, which survey cutouts by
 * the thousand would feel. Only what passes the cap goes to the stream.
 */
const QUICK_INPUT = 1024 * 1024;
const QUICK_OUTPUT = 32 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * Inflates a whole-file gzip FITS as a stream, reading each HDU's header as its blocks
 * arrive and taking no more output than the headers say the file holds: it stops where the
 * last HDU ends (bytes after it are ignored, as readLayout ignores them in a plain file),
 * and refuses an HDU that would take the output past `cap` before its data is inflated.
 * So a 4 MB file that expands to 4 GiB holds at most what its headers announce, never the
 * 4 GiB. Memory: the output (≤ cap + one block) and one stream chunk.
 */
export async function inflateFits(
  gz: Uint8Array,
  file: string,
  cap = MAX_INFLATED_BYTES,
): Promise<Uint8Array> {
  if (gz.length <= QUICK_INPUT) {
    try {
      const whole = gunzipSync(gz, { maxOutputLength: Math.min(cap, QUICK_OUTPUT) });
      // Cut to the HDUs, as the stream would: what follows them is not kept.
      return whole.subarray(
        0,
        new HduWalker(file, cap).advance(whole, whole.length) ?? whole.length,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') {
        if (error instanceof FitsError) throw error;
        throw corruptGzip(file, error);
      }
    }
  }
  return inflateStream(gz, file, cap);
}

function inflateStream(gz: Uint8Array, file: string, cap: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const stream = createGunzip({ chunkSize: STREAM_CHUNK });
    const walker = new HduWalker(file, cap);
    let out = Buffer.allocUnsafe(Math.min(cap + BLOCK_LENGTH, Math.max(65536, gz.length * 4)));
    let length = 0;
    let settled = false;
    const settle = (error: Error | null, bytes?: Uint8Array) => {
      if (settled) return;
      settled = true;
      stream.destroy(); // stops inflating: no further chunk is produced
      if (error) reject(error);
      else resolve(bytes!);
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        const room = cap + BLOCK_LENGTH - length;
        const take = Math.min(chunk.length, room);
        if (length + take > out.length) {
          const grown = Buffer.allocUnsafe(
            Math.min(cap + BLOCK_LENGTH, Math.max(2 * out.length, walker.wanted, length + take)),
          );
          out.copy(grown, 0, 0, length);
          out = grown;
        }
        chunk.copy(out, length, 0, take);
        length += take;
        const stop = walker.advance(out, length);
        if (stop !== null) settle(null, out.subarray(0, stop));
        else if (take < chunk.length) throw walker.tooLarge(length);
      } catch (error) {
        settle(error as Error);
      }
    });
    stream.on('end', () => settle(null, out.subarray(0, length)));
    stream.on('error', (error) => settle(corruptGzip(file, error)));
    stream.end(gz);
  });
}

/**
 * The synchronous inflate for callers holding a file in memory (parseFits): capped by
 * zlib's maxOutputLength, which stops inflating once the output passes the cap, so a bomb
 * costs at most `cap` bytes and is refused with what it is.
 */
export function inflateFitsSync(
  gz: Uint8Array,
  file: string,
  cap = MAX_INFLATED_BYTES,
): Uint8Array {
  try {
    return gunzipSync(gz, { maxOutputLength: cap });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FitsError(
        'too-large',
        file,
        `is gzip-compressed and inflates to more than ${cap} bytes, more than this reader accepts; decompress it (gunzip) to check what it holds`,
      );
    }
    throw corruptGzip(file, error);
  }
}

function corruptGzip(file: string, error: unknown): FitsError {
  const reason = error instanceof Error ? error.message : String(error);
  return new FitsError(
    'bad-gzip',
    file,
    `is gzip-compressed but the gzip stream is corrupt (${reason})`,
  );
}

/**
 * Follows the HDUs through a growing prefix of the inflated bytes: where the next header
 * starts, where its END card is, and where its data ends.
 */
class HduWalker {
  private index = 0;
  /** Where the current HDU's header starts. */
  private at = 0;
  /** The first card of the current header not yet searched for END. */
  private searched = 0;

  constructor(
    private readonly file: string,
    private readonly cap: number,
  ) {}

  /** Bytes the walker needs to see to take its next step. */
  get wanted(): number {
    return this.at + BLOCK_LENGTH;
  }

  /**
   * Looks at the first `length` bytes; returns where the useful bytes end (inflate no
   * further), or null to be called again with more. Throws FitsError for an HDU too large.
   */
  advance(bytes: Uint8Array, length: number): number | null {
    for (;;) {
      const marker = this.index === 0 ? 'SIMPLE  =' : 'XTENSION=';
      if (length < this.at + marker.length) return null;
      // Not FITS, or what follows the last HDU: readLayout says which (or ignores it).
      if (!startsWith(bytes, this.at, marker)) return this.index === 0 ? length : this.at;
      const headerEnd = locateHeaderEnd(bytes, this.at, length, this.searched);
      if (headerEnd < 0) {
        this.searched = this.at + Math.floor((length - this.at) / CARD_LENGTH) * CARD_LENGTH;
        if (length - this.at > MAX_HEADER_BYTES) {
          throw new FitsError(
            'no-end',
            this.file,
            `HDU ${this.index}'s header runs past ${MAX_HEADER_BYTES} bytes without an END card (the file is not a usable FITS file)`,
          );
        }
        return null;
      }
      const header = parseHeader(bytes.subarray(0, length), this.at, headerEnd);
      const hdu = describeHdu(header, this.index, headerEnd, this.file);
      const next = headerEnd + Math.ceil(hdu.dataLength / BLOCK_LENGTH) * BLOCK_LENGTH;
      if (next > this.cap) {
        throw new FitsError(
          'too-large',
          this.file,
          `is gzip-compressed and HDU ${this.index} announces ${hdu.dataLength} bytes of data, which would inflate the file past the ${this.cap} bytes this reader accepts; decompress it (gunzip) first`,
        );
      }
      this.index++;
      this.at = next;
      this.searched = next;
    }
  }

  tooLarge(length: number): FitsError {
    return new FitsError(
      'too-large',
      this.file,
      `is gzip-compressed and inflates past ${length} bytes, more than this reader accepts`,
    );
  }
}
