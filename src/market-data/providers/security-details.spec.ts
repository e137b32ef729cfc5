import { promises as fs } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsvMarketDataProvider } from './csv-provider';
import { PolygonMarketDataProvider } from './polygon-provider';
import { securityFromTickerDetails } from './polygon-ticker-details';
import { SyntheticMarketDataProvider } from './synthetic-provider';
import { GICS_SECTORS } from '../securities/security-classes';
import { sectorOfSic } from '../securities/sic-sectors';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
const KEY = 'test-key-details';
const json = (status: number, body: unknown): Reply => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Shapes of Polygon's /v3/reference/tickers/{ticker} answers (https://polygon.io/docs/stocks/get_v3_reference_tickers__ticker). */
const AAPL_DETAILS = { ticker: 'AAPL', name: 'Apple Inc.', market: 'stocks', locale: 'us', type: 'CS', sic_code: '3571', sic_description: 'ELECTRONIC COMPUTERS' };
const SPY_DETAILS = { ticker: 'SPY', name: 'SPDR S&P 500 ETF Trust', market: 'stocks', locale: 'us', type: 'ETF' };

describe('Polygon ticker details (fake HTTP server)', () => {
  let server: Server;
  let baseUrl: string;
  const requests: URL[] = [];
  const replies = new Map<string, Reply[]>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', baseUrl);
      requests.push(url);
      const queue = replies.get(url.pathname) ?? [];
      const reply = queue.length > 1 ? queue.shift()! : queue[0];
      (reply ?? json(500, { error: 'no reply scripted' }))(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const provider = () => new PolygonMarketDataProvider({ apiKey: KEY, baseUrl, timeoutMs: 1000, maxRetries: 2, baseBackoffMs: 1, maxRequestsPerMinute: 0 });

  it('maps details to a classification; a 404 is "unknown" (null fields); a failure is reported, not thrown', async () => {
    replies.set('/v3/reference/tickers/AAPL', [json(200, { status: 'OK', request_id: 'r1', results: AAPL_DETAILS })]);
    replies.set('/v3/reference/tickers/SPY', [json(200, { status: 'OK', request_id: 'r2', results: SPY_DETAILS })]);
    replies.set('/v3/reference/tickers/NOPE', [json(404, { status: 'NOT_FOUND', request_id: 'r3', message: 'Ticker not found.' })]);
    replies.set('/v3/reference/tickers/DOWN', [json(503, { status: 'ERROR', error: 'unavailable' })]);
    const got = await provider().fetchSecurityDetails(['aapl', 'SPY', 'NOPE', 'DOWN']);
    expect(got.details).toEqual([
      { symbol: 'aapl', name: 'Apple Inc.', sector: 'Information Technology', industry: 'Electronic Computers', country: 'US', asset_class: 'Equity' },
      { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust', sector: 'Diversified', industry: null, country: 'US', asset_class: 'ETF' },
      { symbol: 'NOPE', name: null, sector: null, industry: null, country: null, asset_class: null },
    ]);
    expect(got.failed).toEqual([{ symbol: 'DOWN', message: expect.stringContaining('HTTP 503') }]);
    // the key travels as a query parameter and never shows in a message
    expect(requests.every((u) => u.searchParams.get('apiKey') === KEY)).toBe(true);
    expect(got.failed[0].message).not.toContain(KEY);
    // DOWN was retried (1 + 2 retries), the others asked once
    expect(requests.filter((u) => u.pathname.endsWith('/DOWN'))).toHaveLength(3);
  });

  it('leaves out what Polygon leaves out; a "global" locale is no country', () => {
    expect(securityFromTickerDetails('BTC', { market: 'crypto', locale: 'global', name: 'Bitcoin' })).toEqual({
      symbol: 'BTC', name: 'Bitcoin', sector: null, industry: null, country: null, asset_class: 'Crypto',
    });
  });
});

describe('SIC → GICS sector map', () => {
  it.each([
    ['3571', 'Information Technology'], ['3674', 'Information Technology'], ['7372', 'Information Technology'],
    ['2834', 'Health Care'], ['8062', 'Health Care'], ['1311', 'Energy'], ['2911', 'Energy'], ['6021', 'Financials'],
    ['6798', 'Real Estate'], ['4911', 'Utilities'], ['4813', 'Communication Services'], ['3711', 'Consumer Discretionary'],
    ['5331', 'Consumer Staples'], ['2080', 'Consumer Staples'], ['3721', 'Industrials'], ['2821', 'Materials'],
  ])('SIC %s → %s', (sic, sector) => expect(sectorOfSic(sic)).toBe(sector));

  it('public administration, non-classifiable and unreadable codes are unknown', () => {
    for (const sic of ['9110', '9995', '', null, 'abc']) expect(sectorOfSic(sic)).toBeNull();
  });
});

describe('symbols.csv in the CSV folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sigmasight-symbols-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('classifies the listed symbols; unlisted ones are absent (asked again later); no file, no details', async () => {
    const provider = new CsvMarketDataProvider({ directory: dir });
    expect(await provider.fetchSecurityDetails(['AAPL'])).toEqual({ details: [], failed: [] });
    await fs.writeFile(path.join(dir, 'symbols.csv'), 'symbol,name,sector,industry,country,asset_class\nAAPL,Apple,Information Technology,Hardware,US,Equity\nTLT,,government,,us,etf\n');
    const got = await provider.fetchSecurityDetails(['AAPL', 'tlt', 'ZZZ']);
    expect(got.failed).toEqual([]);
    expect(got.details).toEqual([
      { symbol: 'AAPL', name: 'Apple', sector: 'Information Technology', industry: 'Hardware', country: 'US', asset_class: 'Equity' },
      { symbol: 'tlt', name: null, sector: 'Government', industry: null, country: 'US', asset_class: 'ETF' },
    ]);
  });

  it('a bad symbols.csv fails every asked symbol with the row named', async () => {
    await fs.writeFile(path.join(dir, 'symbols.csv'), 'symbol,sector\nAAPL,Tech\n');
    const got = await new CsvMarketDataProvider({ directory: dir }).fetchSecurityDetails(['AAPL', 'MSFT']);
    expect(got.details).toEqual([]);
    expect(got.failed.map((f) => f.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(got.failed[0].message).toMatch(/symbols\.csv: row 1 sector/);
  });
});

describe('synthetic classifications', () => {
  const provider = new SyntheticMarketDataProvider({ seed: 42 });

  it('real sectors for the demo and factor symbols, ETFs as ETF', async () => {
    const { details } = await provider.fetchSecurityDetails(['AAPL', 'JPM', 'SPY', 'TLT']);
    expect(details.map((d) => [d.symbol, d.sector, d.asset_class])).toEqual([
      ['AAPL', 'Information Technology', 'Equity'], ['JPM', 'Financials', 'Equity'], ['SPY', 'Diversified', 'ETF'], ['TLT', 'Government', 'ETF'],
    ]);
  });

  it('any other symbol: a GICS sector from a hash of its name, the same every time and for every seed', async () => {
    const symbols = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(4, '0')}`);
    const a = await provider.fetchSecurityDetails(symbols);
    const b = await new SyntheticMarketDataProvider({ seed: 7 }).fetchSecurityDetails(symbols);
    expect(a).toEqual(b);
    const sectors = new Set(a.details.map((d) => d.sector));
    expect([...sectors].every((s) => (GICS_SECTORS as readonly string[]).includes(s!))).toBe(true);
    expect(sectors.size).toBe(11); // 200 symbols reach every sector
  });
});
