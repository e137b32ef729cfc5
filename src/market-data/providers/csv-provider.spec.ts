import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { asCalendarDate } from '../../common/branded';
import { CsvMarketDataProvider, parseDailyBarsCsv } from './csv-provider';
import { MarketDataError } from './market-data-provider';

const d = asCalendarDate;

describe('CsvMarketDataProvider', () => {
  let dir: string;
  let provider: CsvMarketDataProvider;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigmasight-csv-'));
    provider = new CsvMarketDataProvider({ directory: dir });
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): Promise<void> => fs.writeFile(path.join(dir, name), text);

  it('reads bars in the range, ascending, with empty optional cells as null', async () => {
    await write(
      'AAPL.csv',
      '\uFEFFdate,open,high,low,close,volume\r\n' +
        '2024-07-05,101,103,100,102.5,1000\r\n' +
        '2024-07-02,99,100,98,99.5,\r\n' +
        '2024-07-03,99.5,101,99,100.25,2000\r\n\r\n' +
        '2024-07-06,1,1,1,1,1\r\n', // Saturday: ignored
    );
    const bars = await provider.fetchDailyBars('AAPL', d('2024-07-01'), d('2024-07-31'));
    expect(bars.map((b) => b.date)).toEqual(['2024-07-02', '2024-07-03', '2024-07-05']);
    expect(bars[0]).toEqual({ symbol: 'AAPL', date: '2024-07-02', open: 99, high: 100, low: 98, close: 99.5, volume: null });
    expect(await provider.fetchDailyBars('AAPL', d('2024-07-03'), d('2024-07-03'))).toHaveLength(1);
    expect(await provider.fetchDailyBars('AAPL', d('2025-01-01'), d('2025-12-31'))).toEqual([]);
  });

  it('accepts other column orders, quotes and a close-only file; finds upper-case files', async () => {
    await write('MSFT.csv', '"close","date"\n"410.5","2024-03-01"\n411,2024-03-04\n');
    const bars = await provider.fetchDailyBars('msft', d('2024-03-01'), d('2024-03-31'));
    expect(bars).toEqual([
      { symbol: 'msft', date: '2024-03-01', open: null, high: null, low: null, close: 410.5, volume: null },
      { symbol: 'msft', date: '2024-03-04', open: null, high: null, low: null, close: 411, volume: null },
    ]);
  });

  it('reports a missing file as a MarketDataError naming the symbol', async () => {
    const failure = provider.fetchDailyBars('NOPE', d('2024-01-01'), d('2024-12-31'));
    await expect(failure).rejects.toBeInstanceOf(MarketDataError);
    await expect(failure).rejects.toMatchObject({ symbol: 'NOPE', message: expect.stringContaining('NOPE') });
  });

  it('rejects symbols that could escape the folder', async () => {
    await expect(provider.fetchDailyBars('../secret', d('2024-01-01'), d('2024-12-31'))).rejects.toMatchObject({
      symbol: '../secret',
    });
  });

  it('names the file and line of a bad row', async () => {
    await write('BAD.csv', 'date,open,high,low,close,volume\n2024-07-01,1,1,1,1,1\n2024-07-02,1,1,1,abc,1\n');
    const failure = provider.fetchDailyBars('BAD', d('2024-01-01'), d('2024-12-31'));
    await expect(failure).rejects.toBeInstanceOf(MarketDataError);
    await expect(failure).rejects.toThrow(/BAD\.csv:3: invalid close "abc"/);
  });

  it.each([
    ['2024-07-01,1,1,1,1', /:2: expected 6 fields, got 5/],
    ['2024-13-01,1,1,1,1,1', /:2: invalid date "2024-13-01"/],
    ['2024-07-01,1,1,1,0,1', /:2: invalid close "0"/],
    ['2024-07-01,1,1,1,,1', /:2: invalid close ""/],
    ['2024-07-01,1,1,1,5,-3', /:2: invalid volume "-3"/],
    ['2024-07-01,1,1,1,5,1\n2024-07-01,1,1,1,5,1', /:3: duplicate date 2024-07-01 \(first on line 2\)/],
  ])('rejects bad row %j', (row, message) => {
    expect(() => parseDailyBarsCsv(`date,open,high,low,close,volume\n${row}\n`, 'X', 'X.csv')).toThrow(message);
  });

  it('rejects a header without close and an empty file', () => {
    expect(() => parseDailyBarsCsv('date,open\n2024-07-01,1\n', 'X', 'X.csv')).toThrow(/X\.csv:1: header lacks a "close" column/);
    expect(() => parseDailyBarsCsv('\n\n', 'X', 'X.csv')).toThrow(/X\.csv: empty file/);
  });

  it('re-reads a file after it changes', async () => {
    await write('CHG.csv', 'date,close\n2024-07-01,10\n');
    expect((await provider.fetchDailyBars('CHG', d('2024-07-01'), d('2024-07-01')))[0].close).toBe(10);
    await write('CHG.csv', 'date,close\n2024-07-01,12.5\n');
    expect((await provider.fetchDailyBars('CHG', d('2024-07-01'), d('2024-07-01')))[0].close).toBe(12.5);
  });
});

describe('CsvMarketDataProvider corporate actions (SYMBOL.actions.csv)', () => {
  let dir: string;
  let provider: CsvMarketDataProvider;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigmasight-csv-actions-'));
    provider = new CsvMarketDataProvider({ directory: dir });
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): Promise<void> => fs.writeFile(path.join(dir, name), text);

  it('reads splits and dividends in the ex-date range, ascending, as the asked symbol', async () => {
    await write(
      'ACME.actions.csv',
      '\uFEFFsymbol,type,ex_date,pay_date,ratio,amount\r\n' +
        '# a comment\r\n' +
        'ACME,CASH_DIVIDEND,2024-08-09,2024-08-30,,0.25\r\n' +
        'acme,SPLIT,2024-06-10,,4,\r\n' +
        'ACME,CASH_DIVIDEND,2024-05-10,,,0.24\r\n',
    );
    const actions = await provider.fetchCorporateActions('acme', d('2024-05-11'), d('2024-12-31'));
    expect(actions).toEqual([
      { symbol: 'acme', type: 'SPLIT', exDate: '2024-06-10', payDate: null, ratio: 4, amount: null },
      { symbol: 'acme', type: 'CASH_DIVIDEND', exDate: '2024-08-09', payDate: '2024-08-30', ratio: null, amount: 0.25 },
    ]);
    expect(await provider.fetchCorporateActions('ACME', d('2024-01-01'), d('2024-05-10'))).toHaveLength(1);
  });

  it('a missing file means no actions; a price file alone is enough', async () => {
    await write('PLAIN.csv', 'date,close\n2024-07-01,10\n');
    await expect(provider.fetchCorporateActions('PLAIN', d('2000-01-01'), d('2030-12-31'))).resolves.toEqual([]);
    await expect(provider.fetchCorporateActions('NOFILES', d('2000-01-01'), d('2030-12-31'))).resolves.toEqual([]);
  });

  it.each([
    ['BAD1', 'BAD1,SPLIT,2024-06-10,,0,', /BAD1\.actions\.csv:3: ratio "0" is not a positive number/],
    ['BAD2', 'BAD2,CASH_DIVIDEND,2024-06-10,,,', /BAD2\.actions\.csv:3: amount is required/],
    ['BAD3', 'BAD3,MERGER,2024-06-10,,,1', /BAD3\.actions\.csv:3: type must be SPLIT or CASH_DIVIDEND/],
    ['BAD4', 'BAD4,CASH_DIVIDEND,2024-06-10,2024-06-01,,1', /BAD4\.actions\.csv:3: pay_date must not be before ex_date/],
    ['BAD5', 'OTHER,SPLIT,2024-06-10,,2,', /BAD5\.actions\.csv:3: symbol must be BAD5/],
    ['BAD6', 'BAD6,SPLIT,2024-06-31,,2,', /BAD6\.actions\.csv:3: ex_date must be an ISO date/],
  ])('a malformed %s file is a MarketDataError naming the file and line', async (symbol, row, message) => {
    await write(`${symbol}.actions.csv`, `symbol,type,ex_date,pay_date,ratio,amount\n${symbol},SPLIT,2020-01-02,,2,\n${row}\n`);
    const failure = provider.fetchCorporateActions(symbol, d('2000-01-01'), d('2030-12-31'));
    await expect(failure).rejects.toBeInstanceOf(MarketDataError);
    await expect(failure).rejects.toThrow(message);
  });

  it('rejects an unknown column', async () => {
    await write('COLS.actions.csv', 'symbol,type,ex_date,factor\nCOLS,SPLIT,2024-06-10,2\n');
    await expect(provider.fetchCorporateActions('COLS', d('2000-01-01'), d('2030-12-31'))).rejects.toThrow(/COLS\.actions\.csv: Unknown column\(s\): factor/);
  });
});
