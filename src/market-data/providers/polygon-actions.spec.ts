import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { asCalendarDate } from '../../common/branded';
import { MarketDataError } from './market-data-provider';
import { PolygonMarketDataProvider, PolygonProviderOptions } from './polygon-provider';

/** Polygon's splits and dividends endpoints, against a fake Polygon on 127.0.0.1; nothing reaches the internet. */
type Reply = (req: IncomingMessage, res: ServerResponse) => void;

const d = asCalendarDate;
const KEY = 'test-key-456';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const ok = (results: unknown[], extra: Record<string, unknown> = {}): Reply => json(200, { status: 'OK', results, ...extra });
const split = (execution_date: string, split_from: number, split_to: number) => ({ ticker: 'AAPL', execution_date, split_from, split_to });
const dividend = (ex_dividend_date: string, cash_amount: number, extra: Record<string, unknown> = {}) =>
  ({ ticker: 'AAPL', ex_dividend_date, pay_date: null, cash_amount, dividend_type: 'CD', currency: 'USD', frequency: 4, ...extra });

describe('PolygonMarketDataProvider corporate actions (fake HTTP server)', () => {
  let server: Server;
  let baseUrl: string;
  /** Scripted replies per endpoint path, consumed in order (the last one repeats). */
  let replies: Record<string, Reply[]>;
  let requests: URL[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', baseUrl);
      requests.push(url);
      const queue = replies[url.pathname] ?? [];
      const reply = queue.length > 1 ? queue.shift()! : queue[0];
      (reply ?? json(404, { status: 'NOT_FOUND', message: `no reply scripted for ${url.pathname}` }))(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    replies = {};
    requests = [];
  });

  const provider = (options: Partial<PolygonProviderOptions> = {}) =>
    new PolygonMarketDataProvider({ apiKey: KEY, baseUrl, timeoutMs: 1000, maxRetries: 3, baseBackoffMs: 1, maxRequestsPerMinute: 0, ...options });
  const fetch2020s = (p: PolygonMarketDataProvider, symbol = 'aapl') => p.fetchCorporateActions(symbol, d('2020-01-01'), d('2024-12-31'));

  it('reads splits (split_to / split_from) and cash dividends, following next_url on both, with the range in the query', async () => {
    replies = {
      '/v3/reference/splits': [ok([split('2020-08-31', 1, 4)], { next_url: `${baseUrl}/v3/reference/splits?cursor=s2` }), ok([split('2022-06-06', 10, 1)])],
      '/v3/reference/dividends': [
        ok([dividend('2024-08-12', 0.25, { pay_date: '2024-08-15' })], { next_url: '/v3/reference/dividends?cursor=d2' }),
        ok([dividend('2024-05-10', 0.25, { pay_date: '2024-05-16' })], { next_url: '/v3/reference/dividends?cursor=d3' }),
        ok([dividend('2020-02-07', 0.77)]),
      ],
    };
    const actions = await fetch2020s(provider());
    expect(actions).toEqual([
      { symbol: 'aapl', type: 'CASH_DIVIDEND', exDate: '2020-02-07', payDate: null, ratio: null, amount: 0.77 },
      { symbol: 'aapl', type: 'SPLIT', exDate: '2020-08-31', payDate: null, ratio: 4, amount: null },
      { symbol: 'aapl', type: 'SPLIT', exDate: '2022-06-06', payDate: null, ratio: 0.1, amount: null },
      { symbol: 'aapl', type: 'CASH_DIVIDEND', exDate: '2024-05-10', payDate: '2024-05-16', ratio: null, amount: 0.25 },
      { symbol: 'aapl', type: 'CASH_DIVIDEND', exDate: '2024-08-12', payDate: '2024-08-15', ratio: null, amount: 0.25 },
    ]);
    expect(requests.map((u) => `${u.pathname} ${u.searchParams.get('cursor') ?? ''}`)).toEqual([
      '/v3/reference/splits ', '/v3/reference/splits s2', '/v3/reference/dividends ', '/v3/reference/dividends d2', '/v3/reference/dividends d3',
    ]);
    expect(Object.fromEntries(requests[0].searchParams)).toEqual({
      ticker: 'AAPL', 'execution_date.gte': '2020-01-01', 'execution_date.lte': '2024-12-31', limit: '1000', apiKey: KEY,
    });
    expect(Object.fromEntries(requests[2].searchParams)).toEqual({
      ticker: 'AAPL', 'ex_dividend_date.gte': '2020-01-01', 'ex_dividend_date.lte': '2024-12-31', limit: '1000', apiKey: KEY,
    });
    expect(requests.every((u) => u.searchParams.get('apiKey') === KEY)).toBe(true);
  });

  it('sums different cash dividends on one ex-date, counts a repeated one once, leaves out other currencies and types', async () => {
    replies = {
      '/v3/reference/splits': [ok([split('2021-03-01', 1, 2), split('2021-03-01', 1, 2)])],
      '/v3/reference/dividends': [ok([
        dividend('2023-03-10', 0.2), dividend('2023-03-10', 1.5, { dividend_type: 'SC', pay_date: '2023-03-20' }), dividend('2023-03-10', 0.2),
        dividend('2023-06-09', 0.9, { currency: 'CAD' }), dividend('2023-09-08', 0.3, { dividend_type: 'XX' }),
        dividend('2023-12-08', 0.3, { pay_date: '2023-12-01' }),
      ])],
    };
    expect(await fetch2020s(provider(), 'AAPL')).toEqual([
      { symbol: 'AAPL', type: 'SPLIT', exDate: '2021-03-01', payDate: null, ratio: 2, amount: null },
      { symbol: 'AAPL', type: 'CASH_DIVIDEND', exDate: '2023-03-10', payDate: '2023-03-20', ratio: null, amount: 1.7 },
      { symbol: 'AAPL', type: 'CASH_DIVIDEND', exDate: '2023-12-08', payDate: null, ratio: null, amount: 0.3 },
    ]);
  });

  it('retries a 429 through the backoff, then succeeds', async () => {
    const delays: number[] = [];
    replies = {
      '/v3/reference/splits': [json(429, { status: 'ERROR', error: 'slow down' }, { 'retry-after': '1' }), ok([split('2020-08-31', 1, 4)])],
      '/v3/reference/dividends': [ok([])],
    };
    const actions = await fetch2020s(provider({ sleep: async (ms) => void delays.push(ms) }));
    expect(actions).toHaveLength(1);
    expect(requests.map((u) => u.pathname)).toEqual(['/v3/reference/splits', '/v3/reference/splits', '/v3/reference/dividends']);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(1000);
  });

  it('passes every request through the rate limiter', async () => {
    let acquired = 0;
    replies = { '/v3/reference/splits': [ok([])], '/v3/reference/dividends': [json(503, 'busy'), ok([])] };
    await fetch2020s(provider({ rateLimiter: { acquire: async () => void acquired++ } }));
    expect(acquired).toBe(3);
  });

  it('retries malformed JSON, then fails with a MarketDataError naming the symbol', async () => {
    replies = { '/v3/reference/splits': [json(200, '{"results": [ broken'), ok([])], '/v3/reference/dividends': [ok([])] };
    await expect(fetch2020s(provider())).resolves.toEqual([]);
    requests = [];
    replies = { '/v3/reference/splits': [json(200, 'not json')], '/v3/reference/dividends': [ok([])] };
    const failure = fetch2020s(provider({ maxRetries: 1 }), 'MSFT');
    await expect(failure).rejects.toBeInstanceOf(MarketDataError);
    await expect(failure).rejects.toThrow(/^MSFT: .*malformed JSON/);
    expect(requests).toHaveLength(2);
  });

  it('rejects an entry without a valid date or amount', async () => {
    replies = { '/v3/reference/splits': [ok([{ execution_date: '2020-08-31', split_from: 0, split_to: 4 }])], '/v3/reference/dividends': [ok([])] };
    await expect(fetch2020s(provider())).rejects.toThrow(/aapl: Polygon returned a split without a valid/);
    replies = { '/v3/reference/splits': [ok([])], '/v3/reference/dividends': [ok([{ ex_dividend_date: 'soon', cash_amount: 1 }])] };
    await expect(fetch2020s(provider())).rejects.toThrow(/aapl: Polygon returned a dividend without a valid/);
  });
});
