import { hasAstropy, python } from './helpers';
import type { ReadColumn } from './expect-table';

export interface AstropyRead {
  columns: Record<string, ReadColumn>;
  units: Record<string, string | null>;
  ucds: Record<string, string | null>;
  meta: Record<string, string>;
}

// Masked cells and NaN become null; bytes are decoded; numpy scalars become JSON numbers.
const READER = `
import sys, json, math, warnings, numpy as np
# Any warning (a deprecated unit, a malformed card, a VOTable W-code) fails the test.
warnings.simplefilter('error')
kind, path = sys.argv[1], sys.argv[2]
ucds = {}
if kind == 'fits':
    from astropy.table import Table
    t = Table.read(path, hdu=1)
else:
    from astropy.io.votable import parse
    votable = parse(path, verify='exception')
    vt = votable.get_first_table()
    ucds = {f.name: f.ucd for f in vt.fields}
    t = vt.to_table(use_names_over_ids=True)
    t.meta.update({i.name: i.value for i in votable.resources[0].infos})
def cell(col, i):
    if np.ma.getmaskarray(col)[i]:
        return None
    v = col[i]
    if isinstance(v, bytes): v = v.decode('utf-8')
    if isinstance(v, np.floating):
        v = float(v)
        return None if math.isnan(v) else v
    if isinstance(v, np.integer): return int(v)
    return str(v)
print(json.dumps({
  'columns': {n: [cell(t[n], i) for i in range(len(t))] for n in t.colnames},
  'units': {n: (t[n].unit.to_string('fits') if t[n].unit is not None else None) for n in t.colnames},
  'ucds': ucds,
  'meta': {k: str(v) for k, v in t.meta.items() if not isinstance(v, (list, dict))},
}))
`;

export const ASTROPY = hasAstropy();
export const NO_ASTROPY =
  'astropy is not installed for /usr/bin/python3: skipping the astropy read-back';

export function readWithAstropy(kind: 'fits' | 'votable', path: string): AstropyRead {
  return python<AstropyRead>(READER, kind, path);
}
