"""Reads every FITS file in a folder with astropy, as the anchor `ahunt ingest` is timed against
(scripts/bench-ingest-vs-astropy.ts). Prints the number of pixels read."""
import os
import sys

from astropy.io import fits

folder = sys.argv[1]
pixels = 0
for name in sorted(os.listdir(folder)):
    if name.endswith(".fits"):
        with fits.open(os.path.join(folder, name), memmap=False) as hdus:
            pixels += hdus[0].data.size
print(pixels)
