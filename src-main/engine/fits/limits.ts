/**
 * The largest image plane we decode: 2^28 pixels (1 GiB as float32). A header claiming more
 * is refused before anything is allocated, so a forged NAXISn cannot exhaust memory.
 */
export const MAX_PIXELS = 2 ** 28;
