import { describe, expect, it } from 'vitest';
import { parseFits } from '../../src-main/engine/fits';
import { fixtureBytes, fixturesDir } from './helpers';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const want = (
  JSON.parse(readFileSync(path.join(fixturesDir, 'expected.json'), 'utf8')) as Record<
    string,
    { header?: Record<string, string | number | boolean> }
  >
)['header_cards.fits']!.header!;

describe('header cards read like astropy reads them', () => {
  const header = parseFits(fixtureBytes('header_cards.fits'), 'header_cards.fits').hdus[0]!.header;

  it('joins CONTINUE long strings and keeps the comment', () => {
    expect(header.get('LONGSTR')).toBe(want['LONGSTR']);
    expect((header.get('LONGSTR') as string).length).toBeGreaterThan(68);
    const card = header.cards.find((c) => c.key === 'LONGSTR')!;
    expect(card.comment).toBe(want['LONGSTR_comment']);
  });

  it("un-escapes '' in strings and keeps leading blanks", () => {
    expect(header.get('QUOTED')).toBe("it's");
    expect(header.cards.find((c) => c.key === 'QUOTED')!.comment).toBe(want['QUOTED_comment']);
    expect(header.get('LEADSP')).toBe('  lead');
    expect(header.get('EMPTYSTR')).toBe('');
  });

  it('reads HIERARCH keywords with or without the prefix', () => {
    expect(header.get('HIERARCH ESO DET CHIP NAME')).toBe(want['HIERARCH ESO DET CHIP NAME']);
    expect(header.get('ESO DET CHIP NAME')).toBe('CCD-42');
    expect(header.get('hierarch eso tel airm start')).toBe(1.234);
  });

  it('types logical, integer, big integer, float, D-exponent and undefined values', () => {
    expect(header.get('LOGIC')).toBe(true);
    expect(header.get('FALSEY')).toBe(false);
    expect(header.get('NEGINT')).toBe(-42);
    expect(header.get('BIGINT')).toBe(BigInt(want['BIGINT'] as string));
    expect(header.get('PI')).toBe(want['PI']);
    expect(header.get('DEXP')).toBe(1250);
    expect(header.get('DEXP')).toBe(want['DEXP']);
    expect(header.has('UNDEF')).toBe(true);
    expect(header.get('UNDEF')).toBeNull();
    expect(header.get('COMPLEX')).toBe('(1.5, -2.0)');
    expect(header.get('MISSING')).toBeUndefined();
  });

  it('keeps commentary cards as text', () => {
    expect(header.cards.find((c) => c.key === 'COMMENT')!.comment).toBe(want['COMMENT']);
    expect(header.cards.find((c) => c.key === 'HISTORY')!.comment).toBe(want['HISTORY']);
  });
});
