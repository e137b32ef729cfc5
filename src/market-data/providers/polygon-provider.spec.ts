import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { asCalendarDate } from '../../common/branded';
import { MarketDataError } from './market-data-provider';
import { parseRetryAfter, PolygonMarketDataProvider, PolygonProviderOptions } from './polygon-provider';
import { RateLimiter, SlidingWindowRateLimiter } from './rate-limiter';

/** All traffic goes to a fake Polygon on 127.0.0.1; nothing reaches the internet. */
type Reply = (req: IncomingMessage, res: ServerResponse) => void;

const d = asCalendarDate;
const KEY = 'test-key-123';
// Daily aggregates are stamped at midnight New York time.
const T_JUL_2 = Date.parse('2024-07-02T04:00:00Z');
const T_JUL_3 = Date.parse('2024-07-03T04:00:00Z');
const T_JUL_5 = Date.parse('2024-07-05T04:00:00Z');
const T_JAN_2 = Date.parse('2024-01-02T05:00:00Z');

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const ok = (results?: unknown[], extra: Record<string, unknown> = {}): Reply =>
  json(200, { status: 'OK', resultsCount: results?.length ?? 0, ...(results ? { results } : {}), ...extra });
const bar = (t: number, c: number): Record<string, number> => ({ t, o: c - 1, h: c + 1, l: c - 2, c, v: 1000 });

describe('PolygonMarketDataProvider (fake HTTP server)', () => {
  let server: Server;
  let baseUrl: string;
  let replies: Reply[];
  let requests: URL[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(new URL(req.url ?? '/', baseUrl));
      const reply = replies.length > 1 ? replies.shift()! : replies[0];
      if (reply) reply(req, res);
      else json(500, { error: 'no reply scripted' })(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    replies = [];
    requests = [];
  });

  const provider = (options: Partial<PolygonProviderOptions> = {}): PolygonMarketDataProvider =>
    new PolygonMarketDataProvider({
      apiKey: KEY, baseUrl, timeoutMs: 1000, maxRetries: 3, baseBackoffMs: 1, maxRequestsPerMinute: 0, ...options,
    });
  const fetchJuly = (p: PolygonMarketDataProvider, symbol = 'AAPL') => p.fetchDailyBars(symbol, d('2024-07-01'), d('2024-07-31'));

  it('fetches and converts aggregates to New York dates', async () => {
    replies = [ok([bar(T_JUL_2, 100), bar(T_JUL_3, 101), bar(T_JUL_5, 102.5)])];
    const bars = await fetchJuly(provider(), 'aapl');
    expect(bars).toEqual([
      { symbol: 'aapl', date: '2024-07-02', open: 99, high: 101, low: 98, close: 100, volume: 1000 },
      { symbol: 'aapl', date: '2024-07-03', open: 100, high: 102, low: 99, close: 101, volume: 1000 },
      { symbol: 'aapl', date: '2024-07-05', open: 101.5, high: 103.5, low: 100.5, close: 102.5, volume: 1000 },
    ]);
    const [url] = requests;
    expect(url.pathname).toBe('/v2/aggs/ticker/AAPL/range/1/day/2024-07-01/2024-07-31');
    // closes are stored as traded: the request must ask for unadjusted aggregates
    expect(Object.fromEntries(url.searchParams)).toEqual({ adjusted: 'false', sort: 'asc', limit: '50000', apiKey: KEY });
  });

  it('maps EST timestamps and drops bars outside the range', async () => {
    replies = [ok([bar(T_JAN_2, 50), bar(T_JUL_2, 60)])];
    const bars = await provider().fetchDailyBars('SPY', d('2024-01-01'), d('2024-01-31'));
    expect(bars.map((b) => [b.date, b.close])).toEqual([['2024-01-02', 50]]);
  });

  it('returns [] for empty results', async () => {
    replies = [ok(undefined, { resultsCount: 0 })];
    await expect(fetchJuly(provider())).resolves.toEqual([]);
    replies = [ok([])];
    await expect(fetchJuly(provider())).resolves.toEqual([]);
  });

  it('follows next_url pages, adding the key, on the same origin only', async () => {
    replies = [
      ok([bar(T_JUL_2, 100)], { next_url: `${baseUrl}/v2/aggs/ticker/AAPL/range/1/day/2024-07-01/2024-07-31?cursor=abc` }),
      ok([bar(T_JUL_3, 101)], { next_url: '/v2/aggs/ticker/AAPL/range/1/day/2024-07-01/2024-07-31?cursor=def' }),
      ok([bar(T_JUL_5, 102)]),
    ];
    const bars = await fetchJuly(provider());
    expect(bars.map((b) => b.date)).toEqual(['2024-07-02', '2024-07-03', '2024-07-05']);
    expect(requests.map((u) => u.searchParams.get('cursor'))).toEqual([null, 'abc', 'def']);
    expect(requests.every((u) => u.searchParams.get('apiKey') === KEY)).toBe(true);

    requests = [];
    replies = [ok([bar(T_JUL_2, 100)], { next_url: 'https://evil.example.com/steal' })];
    await expect(fetchJuly(provider())).rejects.toThrow(/another host/);
    expect(requests).toHaveLength(1);
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    const delays: number[] = [];
    replies = [json(429, { status: 'ERROR', error: 'too many' }, { 'retry-after': '2' }), ok([bar(T_JUL_2, 100)])];
    const bars = await fetchJuly(provider({ sleep: async (ms) => void delays.push(ms) }));
    expect(bars).toHaveLength(1);
    expect(requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
  });

  it('retries 5xx with growing, jittered backoff and then succeeds', async () => {
    const delays: number[] = [];
    replies = [json(500, 'boom'), json(503, 'busy'), ok([bar(T_JUL_2, 100)])];
    const p = provider({ baseBackoffMs: 100, random: () => 0.5, sleep: async (ms) => void delays.push(ms) });
    await expect(fetchJuly(p)).resolves.toHaveLength(1);
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after maxRetries with a MarketDataError naming the symbol and last cause', async () => {
    replies = [json(502, { error: 'bad gateway' })];
    const failure = fetchJuly(provider({ maxRetries: 2 }), 'MSFT');
    await expect(failure).rejects.toBeInstanceOf(MarketDataError);
    await expect(failure).rejects.toMatchObject({ symbol: 'MSFT', message: expect.stringMatching(/^MSFT: .*HTTP 502: bad gateway/) });
    expect(requests).toHaveLength(3);
  });

  it('does not retry other 4xx and never leaks the key', async () => {
    replies = [json(403, { status: 'NOT_AUTHORIZED', message: `bad key ${KEY}` })];
    const error = await fetchJuly(provider()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketDataError);
    expect((error as Error).message).toMatch(/HTTP 403: bad key \*\*\*/);
    expect((error as Error).message).not.toContain(KEY);
    expect(requests).toHaveLength(1);
  });

  it('retries malformed JSON, then fails with a MarketDataError', async () => {
    replies = [json(200, '{"results": [ broken'), ok([bar(T_JUL_2, 100)])];
    await expect(fetchJuly(provider())).resolves.toHaveLength(1);
    requests = [];
    replies = [json(200, 'not json at all')];
    await expect(fetchJuly(provider({ maxRetries: 1 }))).rejects.toThrow(/AAPL: .*malformed JSON/);
    expect(requests).toHaveLength(2);
  });

  it('times out slow replies, retries, and reports the timeout', async () => {
    const slow: Reply = (req, res) => {
      const timer = setTimeout(() => ok([bar(T_JUL_2, 100)])(req, res), 500);
      res.on('close', () => clearTimeout(timer));
    };
    replies = [slow, ok([bar(T_JUL_3, 101)])];
    await expect(fetchJuly(provider({ timeoutMs: 50 }))).resolves.toEqual([expect.objectContaining({ date: '2024-07-03' })]);
    replies = [slow];
    await expect(fetchJuly(provider({ timeoutMs: 50, maxRetries: 1 }))).rejects.toThrow(/AAPL: .*timed out after 50 ms/);
  });

  it('retries network errors', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let calls = 0;
    const fetchImpl: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    await expect(fetchJuly(provider({ baseUrl: deadUrl, maxRetries: 2, fetchImpl }))).rejects.toThrow(/AAPL: .*network error/);
    expect(calls).toBe(3);
  });

  it('rejects bars without a valid close', async () => {
    replies = [ok([{ t: T_JUL_2, o: 1 }])];
    await expect(fetchJuly(provider())).rejects.toThrow(/AAPL: Polygon returned a bar without a valid t\/c/);
  });

  it('passes every attempt, retries included, through the rate limiter', async () => {
    let acquired = 0;
    const limiter: RateLimiter = { acquire: async () => void acquired++ };
    replies = [json(500, 'x'), ok([bar(T_JUL_2, 100)], { next_url: `${baseUrl}/page2` }), ok([])];
    await fetchJuly(provider({ rateLimiter: limiter }));
    expect(acquired).toBe(3);
    expect(requests).toHaveLength(3);
  });
});

describe('SlidingWindowRateLimiter', () => {
  it('allows at most N acquisitions per window, in order (fake clock)', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new SlidingWindowRateLimiter(5, 60_000, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    const stamps: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.acquire().then(() => stamps.push(now))));
    expect(stamps).toEqual([0, 0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000, 60_000, 120_000, 120_000]);
    expect(waits).toEqual([60_000, 60_000]);
  });

  it('spaces real calls by the window', async () => {
    const limiter = new SlidingWindowRateLimiter(2, 150);
    const started = Date.now();
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('is unlimited with 0 or Infinity and validates its arguments', async () => {
    await Promise.all(Array.from({ length: 100 }, () => new SlidingWindowRateLimiter(0).acquire()));
    await new SlidingWindowRateLimiter(Infinity).acquire();
    expect(() => new SlidingWindowRateLimiter(-1)).toThrow(RangeError);
    expect(() => new SlidingWindowRateLimiter(1.5)).toThrow(RangeError);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2024-07-01T00:00:00Z');
    expect(parseRetryAfter('Mon, 01 Jul 2024 00:00:10 GMT', now)).toBe(10_000);
  });
});
