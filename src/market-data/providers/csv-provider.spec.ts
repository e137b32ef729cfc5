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
