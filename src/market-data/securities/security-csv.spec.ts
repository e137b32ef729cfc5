import { parseSecuritiesCsv, validateSecurityRows } from './security-csv';

describe('symbols CSV', () => {
  it('reads rows in any column order, canonical sector and asset class, empty = unknown', () => {
    const parsed = parseSecuritiesCsv('# comment\nSector,Symbol,Country,asset_class\nhealth care,jnj,us,EQUITY\n,ZZZ,,\nunclassified,UNK,unclassified,Unclassified\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.details).toEqual([
      { symbol: 'JNJ', name: null, sector: 'Health Care', industry: null, country: 'US', asset_class: 'Equity' },
      { symbol: 'ZZZ', name: null, sector: null, industry: null, country: null, asset_class: null },
      { symbol: 'UNK', name: null, sector: null, industry: null, country: null, asset_class: null },
    ]);
  });

  it('an unknown column (row 0) and every bad row are reported together; nothing is returned', () => {
    const parsed = parseSecuritiesCsv('symbol,sector,industry,exchange\nA,Energy,x,NYSE\nB!,Nope,x,\nC,Energy,' + 'y'.repeat(101) + ',\nA,Energy,,\n');
    expect(parsed.details).toEqual([]);
    expect(parsed.errors.map((e) => `${e.row}:${e.column}`)).toEqual(['0:exchange', '2:symbol', '2:sector', '3:industry', '4:symbol']);
    expect(parsed.errors[4].message).toBe('duplicate of row 1 (A)');
  });

  it('fatal: no symbol column, no rows, not CSV', () => {
    expect(parseSecuritiesCsv('sector\nEnergy\n').fatal).toMatch(/symbol/);
    expect(parseSecuritiesCsv('symbol,sector\n').fatal).toMatch(/no data rows/);
    expect(parseSecuritiesCsv('symbol,sector\n"A,Energy\n').fatal).toMatch(/Malformed CSV/);
  });

  it('JSON rows: non-text values and control characters are row errors', () => {
    const parsed = validateSecurityRows([{ symbol: 'A', sector: 3 }, { symbol: 'B', name: 'bad\u0000name' }]);
    expect(parsed.errors).toEqual([
      { row: 1, column: 'sector', message: 'must be text' },
      { row: 2, column: 'name', message: 'contains a control character' },
    ]);
  });
});
