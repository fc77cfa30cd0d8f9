/**
 * Every problem a FITS file can have surfaces as a FitsError: callers (ingest, the CLI)
 * rely on this one type to tell "the user's file is bad" from a bug in our code.
 */
export type FitsErrorCode =
  | 'not-fits' // does not start with SIMPLE = T
  | 'no-end' // a header has no END card
  | 'bad-header' // a required keyword is missing or has a value of the wrong type
  | 'bad-bitpix' // BITPIX is not one of 8, 16, 32, 64, -32, -64
  | 'bad-naxis' // NAXIS / NAXISn negative, too many axes, or not integers
  | 'truncated' // the file ends before the data the header announces
  | 'too-large' // the image would not fit in memory
  | 'no-image' // no image HDU holding data
  | 'hdu-not-found' // --hdu / readImage({hdu}) names an HDU that does not exist
  | 'not-image' // the chosen HDU is a table
  | 'not-table' // readTable was pointed at an image
  | 'bad-plane' // plane index outside the cube
  | 'unsupported' // a valid FITS feature we do not decode (PLIO_1, HCOMPRESS_1, …)
  | 'bad-compressed-data' // a tile does not decompress to the size the header announces
  | 'bad-gzip' // the whole-file gzip stream is corrupt
  | 'bad-table' // a binary table's columns / heap are inconsistent
  | 'bad-value' // the writer was given a value it cannot represent
  | 'io'; // the file could not be read

export class FitsError extends Error {
  override name = 'FitsError';
  readonly code: FitsErrorCode;
  readonly file: string;
  /** Tells the CLI (and the API edge) this is the user's file at fault: exit 1, not 2. */
  readonly userFacing = true;

  constructor(code: FitsErrorCode, file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.code = code;
    this.file = file;
  }
}
