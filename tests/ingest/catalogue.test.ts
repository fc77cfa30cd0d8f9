import { describe, expect, it } from 'vitest';
import { parseCatalogue, parseDec, parseRa } from '../../src-main/engine/ingest/catalogue';
import { parseCsv } from '../../src-main/engine/csv-table';
import { IngestError } from '../../src-main/engine/ingest/errors';
import { parseLabels } from '../../src-main/engine/ingest/labels';

function catalogueError(text: string, options: Record<string, string> = {}): IngestError {
  try {
    parseCatalogue(text, { path: '/data/cat.csv', ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(IngestError);
    return error as IngestError;
  }
  throw new Error('expected the catalogue to be refused');
}

describe('CSV reading', () => {
  it('handles quotes, embedded separators and newlines, CRLF, comments and blank lines', () => {
    const t = parseCsv(
      'id,name,ra\r\n# a comment\n1,"M 51, the ""Whirlpool""",202.47\n\n2,"two\nlines",10\n',
    );
    expect(t.columns).toEqual(['id', 'name', 'ra']);
    expect(t.rows).toEqual([
      ['1', 'M 51, the "Whirlpool"', '202.47'],
      ['2', 'two\nlines', '10'],
    ]);
    expect(t.lines).toEqual([3, 5]);
  });

  it('guesses tab and semicolon separators from the header', () => {
    expect(parseCsv('a\tb\n1\t2\n').rows).toEqual([['1', '2']]);
    expect(parseCsv('a;b\n1;2\n').rows).toEqual([['1', '2']]);
  });
});

describe('catalogue parsing', () => {
  it('reads RA/Dec in degrees and sexagesimal, ids and frame names', () => {
    const c = parseCatalogue(
      'ID,RA,DEC,file\nA,202.4696,47.1952,m51.fits\nB,13:29:52.7,+47:11:43,\n',
      {
        path: 'cat.csv',
      },
    );
    expect(c.system).toBe('world');
    expect(c.entries[0]).toMatchObject({
      id: 'A',
      ra: 202.4696,
      dec: 47.1952,
      file: 'm51.fits',
      line: 2,
    });
    expect(c.entries[1]!.ra).toBeCloseTo(15 * (13 + 29 / 60 + 52.7 / 3600), 9);
    expect(c.entries[1]!.dec).toBeCloseTo(47 + 11 / 60 + 43 / 3600, 9);
    expect(c.entries[1]!.file).toBeNull();
  });

  it('honours explicit column names and converts 1-based pixel positions to 0-based', () => {
    const c = parseCatalogue('name,X_IMAGE,Y_IMAGE\ns1,10,20\n', {
      path: 'c.csv',
      x: 'x_image',
      y: 'Y_IMAGE',
      id: 'name',
    });
    expect(c.system).toBe('pixel');
    expect(c.entries[0]).toMatchObject({ id: 's1', x: 9, y: 19, ra: null });
    const zero = parseCatalogue('x,y\n10,20\n', { path: 'c.csv', pixelOrigin: 0 });
    expect(zero.entries[0]).toMatchObject({ id: '1', x: 10, y: 20 });
  });

  it('refuses a catalogue without position columns, naming the columns it has', () => {
    const e = catalogueError('id,mag\n1,20.1\n');
    expect(e.code).toBe('bad-catalogue');
    expect(e.file).toBe('/data/cat.csv');
    expect(e.message).toContain('/data/cat.csv');
    expect(e.message).toMatch(/its columns are: id, mag/i);
  });

  it('refuses an explicitly named column that is missing', () => {
    const e = catalogueError('id,ra,dec\n1,10,20\n', { ra: 'RAJ2000' });
    expect(e.message).toMatch(/no column "RAJ2000" for RA/);
  });

  it('refuses a non-numeric or out-of-range RA/Dec, naming the line', () => {
    expect(catalogueError('id,ra,dec\n1,10,20\n2,abc,20\n').message).toMatch(
      /line 3: ra "abc" is not a right ascension/,
    );
    expect(catalogueError('id,ra,dec\n1,361,20\n').message).toMatch(/line 2: ra "361"/);
    expect(catalogueError('id,ra,dec\n1,10,-91\n').message).toMatch(
      /line 2: dec "-91" is not a declination/,
    );
    expect(catalogueError('id,x,y\n1,3,\n').message).toMatch(/line 2: y "" is not a number/);
  });

  it('refuses duplicate ids and empty catalogues', () => {
    expect(catalogueError('id,ra,dec\n1,10,20\n1,11,21\n').message).toMatch(/id "1" appears twice/);
    expect(catalogueError('id,ra,dec\n').message).toMatch(/no rows/);
    expect(catalogueError('').message).toMatch(/empty/);
  });

  it('parses RA/Dec edge cases', () => {
    expect(parseRa('0')).toBe(0);
    expect(parseRa('360')).toBeNull();
    expect(parseRa('00:00:00')).toBe(0);
    expect(parseRa('12:61:00')).toBeNull();
    expect(parseDec('-00:30:00')).toBeCloseTo(-0.5, 12);
    expect(parseDec('1e1')).toBe(10);
    expect(parseDec('')).toBeNull();
  });
});

describe('labels file parsing', () => {
  it('prefers label_name over label and matches by file', () => {
    const l = parseLabels(
      'file,label,label_name\nimages/a.jpeg,0,elliptical\nimages/b.jpeg,5,merger\nc.jpeg,1,\n',
      {
        path: 'labels.csv',
      },
    );
    expect(l.by).toBe('file');
    expect(l.rows).toEqual([
      { line: 2, key: 'images/a.jpeg', label: 'elliptical' },
      { line: 3, key: 'images/b.jpeg', label: 'merger' },
    ]);
  });

  it('matches by id when there is no file column, and refuses files without label or key columns', () => {
    expect(parseLabels('id,label\n7,ring\n', { path: 'l.csv' }).by).toBe('id');
    expect(() => parseLabels('id,kind\n7,ring\n', { path: 'l.csv' })).toThrow(
      /needs a "label_name" or "label" column/,
    );
    expect(() => parseLabels('name,label\n7,ring\n', { path: 'l.csv' })).toThrow(
      /needs a "file" or "id" column/,
    );
    expect(() => parseLabels('id,label\n7,ring\n', { path: 'l.csv', label: 'class' })).toThrow(
      /no column "class"/,
    );
  });
});
