import { readFileSync } from 'node:fs';
import { IMPORT_MAX_ROWS, parsePositionsCsv } from './csv-import';

const TODAY = '2025-06-30';
const HEADER = 'symbol,quantity,entry_price,entry_date';
const parse = (text: string) => parsePositionsCsv(text, TODAY);

describe('parsePositionsCsv', () => {
  it('parses rows into validated positions, numbers as numbers', () => {
    const r = parse(`${HEADER}\nAAPL,100,187.50,2025-03-03\ntsla,-50,240.1,2024-06-03\n`);
    expect(r.fatal).toBeUndefined();
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: 100, entryPrice: 187.5, positionType: 'LONG' }),
      expect.objectContaining({ symbol: 'TSLA', quantity: -50, entryPrice: 240.1, positionType: 'SHORT' }),
    ]);
  });

  it('matches header names case-insensitively, in any order, trimmed', () => {
    const r = parse('Entry_Date , SYMBOL,Quantity,ENTRY_PRICE\n2025-01-02,MSFT,5,410\n');
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toMatchObject({ symbol: 'MSFT', quantity: 5, entryPrice: 410, entryDate: '2025-01-02' });
  });

  it('accepts a UTF-8 BOM, CRLF, # comment lines, blank lines and quoted fields', () => {
    const r = parse(`\uFEFF# broker export\r\n${HEADER}\r\n# longs\r\n"AAPL", "10" ,150,2025-01-02\r\n\r\nMSFT,1,"1,5",2025-01-02\r\n`);
    expect(r.fatal).toBeUndefined();
    expect(r.rows.map((p) => p.symbol)).toEqual(['AAPL']);
    // "1,5" is one field that is not a number: a row error, not a parse failure
    expect(r.errors).toEqual([{ row: 2, line: 6, column: 'entry_price', message: '"1,5" is not a number' }]);
  });

  it('reads the optional option columns; empty cells are unset', () => {
    const r = parse(
      [
        `${HEADER},position_type,underlying_symbol,strike_price,expiration_date,option_type,implied_volatility`,
        'AAPL270617C00200000,2,12.4,2025-01-15,,aapl,200,2027-06-17,CALL,0.28',
        'SPY270115P00450000,-3,9.75,2025-02-03,SP,SPY,450,2027-01-15,,',
        'IBM,40,160,2024-05-01,,,,,,',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.rows.map((p) => [p.positionType, p.underlyingSymbol, p.strikePrice, p.impliedVolatility])).toEqual([
      ['LC', 'AAPL', 200, 0.28],
      ['SP', 'SPY', 450, null],
      ['LONG', null, null, null],
    ]);
  });

  describe('row errors', () => {
    it('reports every row: row = data row (comments not counted), line = line in the file', () => {
      const text = [HEADER, 'AAPL,10,150,2025-01-02', '# skipped', 'BAD SYM,0,150,2025-01-02', 'MSFT,abc,-1,2099-01-01'].join('\n');
      const r = parse(text);
      expect(r.rows.map((p) => p.symbol)).toEqual(['AAPL']);
      expect(r.errors).toEqual([
        { row: 2, line: 4, column: 'symbol', message: expect.any(String) },
        { row: 2, line: 4, column: 'quantity', message: 'must not be zero' },
        { row: 3, line: 5, column: 'quantity', message: '"abc" is not a number' },
        { row: 3, line: 5, column: 'entry_price', message: 'must be positive' },
        { row: 3, line: 5, column: 'entry_date', message: expect.stringContaining('future') },
      ]);
    });

    it('does not repeat a number error as "is required" for the same column', () => {
      const r = parse(`${HEADER}\nAAPL,1e999,150,2025-01-02\n`);
      expect(r.errors).toEqual([{ row: 1, line: 2, column: 'quantity', message: '"1e999" is not a number' }]);
    });

    it('a row that stops short of the required columns has each missing one as its error', () => {
      const r = parse(`${HEADER}\nAAPL,1\n`);
      expect(r.errors).toEqual([
        { row: 1, line: 2, column: 'entry_price', message: 'is required' },
        { row: 1, line: 2, column: 'entry_date', message: 'is required' },
      ]);
    });

    it('a missing required value in a row is that row’s error', () => {
      const r = parse(`${HEADER}\nAAPL,,150,2025-01-02\n`);
      expect(r.errors).toEqual([{ row: 1, line: 2, column: 'quantity', message: 'is required' }]);
    });
  });

  describe('file-level problems (fatal, no rows)', () => {
    it.each([
      ['a missing required column', 'symbol,quantity,entry_price\nAAPL,1,2\n', 'Missing required column(s): entry_date'],
      ['several missing columns', 'symbol\nAAPL\n', 'Missing required column(s): quantity, entry_price, entry_date'],
      ['an unknown column', `${HEADER},Notes\nAAPL,1,2,2025-01-02,x\n`, 'Unknown column(s): notes'],
      ['a header only', `${HEADER}\n`, 'CSV has no data rows'],
      ['an empty file', '', 'CSV has no data rows'],
      ['only comments', '# nothing\n# here\n', 'CSV has no data rows'],
    ])('%s', (_case, text, fatal) => {
      expect(parse(text)).toEqual({ rows: [], errors: [], fatal });
    });

    it.each([
      ['an unclosed quote', `${HEADER}\n"AAPL,1,2,2025-01-02\n`],
      ['a row with too many fields', `${HEADER}\nAAPL,1,2,2025-01-02,extra\n`],
    ])('malformed CSV: %s', (_case, text) => {
      const r = parse(text);
      expect(r.rows).toEqual([]);
      expect(r.fatal).toMatch(/^Malformed CSV: /);
    });

    it(`allows ${IMPORT_MAX_ROWS} rows and refuses one more`, () => {
      const row = 'AAPL,1,2,2025-01-02';
      const at = parse([HEADER, ...Array(IMPORT_MAX_ROWS).fill(row)].join('\n'));
      expect(at.fatal).toBeUndefined();
      expect(at.rows).toHaveLength(IMPORT_MAX_ROWS);
      const over = parse([HEADER, ...Array(IMPORT_MAX_ROWS + 1).fill(row)].join('\n'));
      expect(over).toEqual({ rows: [], errors: [], fatal: `Too many rows: ${IMPORT_MAX_ROWS + 1} (limit ${IMPORT_MAX_ROWS})` });
    });

    it('comment lines do not count toward the row limit', () => {
      const lines = [HEADER, ...Array(IMPORT_MAX_ROWS).fill('AAPL,1,2,2025-01-02'), '# trailing comment', '# another'];
      expect(parse(lines.join('\n')).rows).toHaveLength(IMPORT_MAX_ROWS);
    });
  });

  it('samples/positions.csv is a valid import', () => {
    const r = parsePositionsCsv(readFileSync('samples/positions.csv', 'utf8'), TODAY);
    expect(r.fatal).toBeUndefined();
    expect(r.errors).toEqual([]);
    expect(r.rows.length).toBeGreaterThanOrEqual(12);
    const types = new Set(r.rows.map((p) => p.positionType));
    for (const t of ['LONG', 'SHORT', 'LC', 'SP']) expect(types).toContain(t);
  });
});
