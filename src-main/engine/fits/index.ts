/**
 * The FITS codec: reads images (plain, scaled, BLANK, cubes, MEF, whole-file gzip,
 * tile-compressed RICE_1/GZIP_1/GZIP_2/NOCOMPRESS with de-dithering), celestial TAN/SIN WCS,
 * binary tables (readTable), and writes binary tables and simple images. Pure Node; every
 * user-caused problem is a FitsError (with `code`, `file`, and `userFacing` for the CLI).
 */
export { FitsError } from './errors';
export type { FitsErrorCode } from './errors';
export type { FitsHeader, HeaderCard, HeaderValue } from './header';
export type { HduInfo, HduType } from './structure';
export { parseFits, readFitsBytes, readFitsFile } from './fits-file';
export type { FitsFile, FitsImage, ReadImageOptions } from './fits-file';
export { isGzip } from './inflate';
export type { PixelArray } from './pixels';
export { releasePixels } from './pixels';
export type { FitsTable, FitsTableColumn } from './read-table';
export type { CelestialWcs, CelestialWcsParams } from './wcs';
export { readCelestialWcs, readCelestialWcsParams } from './wcs';
export { imageStats } from './stats';
export type { ImageStats } from './stats';
export { writeBinTable } from './write-table';
export type { BinTableColumn, BinTableFormat, BinTableSpec, CellValue } from './write-table';
export { writeImage } from './write-image';
export type { HeaderKeyword } from './write-header';
export { MAX_INFLATED_BYTES, MAX_PIXELS } from './limits';
