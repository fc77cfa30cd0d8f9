/**
 * The largest image plane we decode: 2^28 pixels (1 GiB as float32). A header claiming more
 * is refused before anything is allocated, so a forged NAXISn cannot exhaust memory.
 */
export const MAX_PIXELS = 2 ** 28;

/**
 * The most a whole-file gzip FITS (.fits.gz) may inflate to: 1 GiB, the largest plane
 * above as float32. The stream is inflated only as far as its headers say the HDUs reach,
 * so a small file that expands to gigabytes of zeros after its last HDU costs nothing, and
 * one whose header announces more than this is refused before its data is inflated.
 */
export const MAX_INFLATED_BYTES = 2 ** 30;

/**
 * The longest header read from a gzip stream while looking for its END card (a real one is
 * at most a few hundred KB): a stream of blank cards is refused here, not at the byte cap.
 */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
