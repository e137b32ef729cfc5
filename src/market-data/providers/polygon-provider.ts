import { CalendarDate } from '../../common/branded';
import { isTradingDay } from '../calendar/nyse-calendar';
import { newYorkDate } from '../calendar/new-york-time';
import type { CorporateAction } from '../../ledger/ledger.types';
import { DailyBar, describeCause, MarketDataError, MarketDataProvider, SecurityDetailsResult } from './market-data-provider';
import { mergeSameDay, polygonDividends, polygonSplits } from './polygon-actions';
import { securityFromTickerDetails } from './polygon-ticker-details';
import { RateLimiter, sleep, SlidingWindowRateLimiter } from './rate-limiter';

/**
 * Polygon.io daily aggregates (`/v2/aggs/ticker/{T}/range/1/day/{from}/{to}`,
 * unadjusted: closes are stored as traded), splits (`/v3/reference/splits`)
 * and dividends (`/v3/reference/dividends`), ticker details
 * (`/v3/reference/tickers/{T}`, for the security master).
 * Every request waits for the instance's rate limiter, has a timeout, and is
 * retried with exponential backoff and full jitter on 429 (honouring
 * Retry-After), 5xx, network errors, timeouts and malformed JSON. Other 4xx
 * fail at once. `next_url` pages are followed on the same origin only, so the
 * API key never leaves for another host; the key is never put in messages.
 */

export interface PolygonProviderOptions {
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Upper bound on a honoured Retry-After. */
  maxRetryAfterMs?: number;
  /** 5 on the free tier; 0 or Infinity for no limit. */
  maxRequestsPerMinute?: number;
  fetchImpl?: typeof fetch;
  /** Replaces the built-in limiter (e.g. to share one across instances). */
  rateLimiter?: RateLimiter;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface PolygonAggregate {
  t?: unknown;
  o?: unknown;
  h?: unknown;
  l?: unknown;
  c?: unknown;
  v?: unknown;
}

interface PolygonResponse {
  status?: unknown;
  results?: unknown;
  next_url?: unknown;
  error?: unknown;
  message?: unknown;
}

type Attempt =
  | { kind: 'ok'; body: PolygonResponse }
  | { kind: 'retry'; cause: Error; retryAfterMs?: number }
  | { kind: 'fail'; cause: Error };

const MAX_PAGES = 100;

export class PolygonMarketDataProvider implements MarketDataProvider {
  readonly name = 'polygon' as const;
  private readonly apiKey: string;
  private readonly baseUrl: URL;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly limiter: RateLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: PolygonProviderOptions) {
    if (!options.apiKey?.trim()) throw new Error('Polygon provider needs an API key');
    this.apiKey = options.apiKey.trim();
    this.baseUrl = new URL((options.baseUrl ?? 'https://api.polygon.io').replace(/\/+$/, '') + '/');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 4);
    this.baseBackoffMs = options.baseBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.limiter = options.rateLimiter ?? new SlidingWindowRateLimiter(options.maxRequestsPerMinute ?? 5, 60_000);
  }

  async fetchDailyBars(symbol: string, from: CalendarDate, to: CalendarDate): Promise<DailyBar[]> {
    const ticker = symbol.trim().toUpperCase();
    if (!ticker) throw new MarketDataError(symbol, `polygon: empty symbol "${symbol}"`);
    if (from > to) return [];
    const byDate = new Map<string, DailyBar>();
    const first = this.url(`v2/aggs/ticker/${encodeURIComponent(ticker)}/range/1/day/${from}/${to}`, { adjusted: 'false', sort: 'asc', limit: '50000' });
    for (const body of await this.pages(symbol, first)) {
      for (const bar of this.toBars(symbol, body, from, to)) if (!byDate.has(bar.date)) byDate.set(bar.date, bar);
    }
    return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  /** Splits (ratio = split_to / split_from) and USD cash dividends with ex-date in [from, to], every page of each. */
  async fetchCorporateActions(symbol: string, from: CalendarDate, to: CalendarDate): Promise<CorporateAction[]> {
    const ticker = symbol.trim().toUpperCase();
    if (!ticker) throw new MarketDataError(symbol, `polygon: empty symbol "${symbol}"`);
    if (from > to) return [];
    const splitsUrl = this.url('v3/reference/splits', { ticker, 'execution_date.gte': from, 'execution_date.lte': to, limit: '1000' });
    const dividendsUrl = this.url('v3/reference/dividends', { ticker, 'ex_dividend_date.gte': from, 'ex_dividend_date.lte': to, limit: '1000' });
    const actions: CorporateAction[] = [];
    for (const body of await this.pages(symbol, splitsUrl)) actions.push(...polygonSplits(symbol, body.results));
    for (const body of await this.pages(symbol, dividendsUrl)) actions.push(...polygonDividends(symbol, body.results));
    return mergeSameDay(actions.filter((a) => a.exDate >= from && a.exDate <= to));
  }

  /**
   * Ticker details, one request per symbol (rate-limited like the rest). A 404
   * is Polygon saying it does not know the ticker: the symbol comes back with
   * null fields (stored, so it is not asked again); any other failure leaves
   * it in `failed` for the next run.
   */
  async fetchSecurityDetails(symbols: string[]): Promise<SecurityDetailsResult> {
    const out: SecurityDetailsResult = { details: [], failed: [] };
    for (const symbol of symbols) {
      const ticker = symbol.trim().toUpperCase();
      try {
        const body = await this.requestJson(symbol, this.url(`v3/reference/tickers/${encodeURIComponent(ticker)}`, {}));
        out.details.push(securityFromTickerDetails(symbol, body.results));
      } catch (e) {
        const cause = e instanceof MarketDataError && e.cause instanceof Error ? e.cause.message : '';
        if (cause.startsWith('HTTP 404')) out.details.push(securityFromTickerDetails(symbol, null));
        else out.failed.push({ symbol, message: describeCause(e) });
      }
    }
    return out;
  }

  private url(path: string, params: Record<string, string>): URL {
    const url = new URL(path, this.baseUrl);
    url.search = new URLSearchParams({ ...params, apiKey: this.apiKey }).toString();
    return url;
  }

  /** Every page of a listing, following next_url. */
  private async pages(symbol: string, first: URL): Promise<PolygonResponse[]> {
    const bodies: PolygonResponse[] = [];
    for (let url: URL | null = first, page = 0; url; page++) {
      if (page >= MAX_PAGES) throw new MarketDataError(symbol, `${symbol}: Polygon returned more than ${MAX_PAGES} pages`);
      const body = await this.requestJson(symbol, url);
      bodies.push(body);
      url = this.nextUrl(symbol, body.next_url);
    }
    return bodies;
  }

  private nextUrl(symbol: string, next: unknown): URL | null {
    if (typeof next !== 'string' || next === '') return null;
    let url: URL;
    try {
      url = new URL(next, this.baseUrl);
    } catch (err) {
      throw new MarketDataError(symbol, `${symbol}: Polygon sent an invalid next_url`, err);
    }
    if (url.origin !== this.baseUrl.origin) {
      throw new MarketDataError(symbol, `${symbol}: Polygon next_url points to another host (${url.origin})`);
    }
    if (!url.searchParams.has('apiKey')) url.searchParams.set('apiKey', this.apiKey);
    return url;
  }

  /** One logical request: rate-limited attempts with backoff until success, a hard failure or no retries left. */
  private async requestJson(symbol: string, url: URL): Promise<PolygonResponse> {
    let last: Error = new Error('no attempt made');
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      await this.limiter.acquire();
      const outcome = await this.attempt(url);
      if (outcome.kind === 'ok') return outcome.body;
      last = outcome.cause;
      if (outcome.kind === 'fail') break;
      if (attempt < this.maxRetries) await this.sleep(this.backoff(attempt, outcome.retryAfterMs));
    }
    const message = `${symbol}: Polygon request failed (${this.redact(last.message)})`;
    throw new MarketDataError(symbol, message, last);
  }

  /** Full jitter: uniform in [0, min(max, base·2^attempt)], never below a Retry-After. */
  private backoff(attempt: number, retryAfterMs?: number): number {
    const ceiling = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** attempt);
    const jittered = this.random() * ceiling;
    return retryAfterMs === undefined ? jittered : Math.max(jittered, Math.min(retryAfterMs, this.maxRetryAfterMs));
  }

  private async attempt(url: URL): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const res = await this.fetchImpl(url, { signal: controller.signal, headers: { accept: 'application/json' } });
      const text = await res.text();
      return classify(res.status, res.headers.get('retry-after'), text);
    } catch (err) {
      if (controller.signal.aborted) return { kind: 'retry', cause: new Error(`timed out after ${this.timeoutMs} ms`) };
      return { kind: 'retry', cause: new Error(`network error: ${describeCause(err)}${causeCode(err)}`) };
    } finally {
      clearTimeout(timer);
    }
  }

  private toBars(symbol: string, body: PolygonResponse, from: CalendarDate, to: CalendarDate): DailyBar[] {
    if (body.results === undefined || body.results === null) return [];
    if (!Array.isArray(body.results)) throw new MarketDataError(symbol, `${symbol}: Polygon results is not an array`);
    const bars: DailyBar[] = [];
    for (const raw of body.results as PolygonAggregate[]) {
      const t = raw?.t;
      const close = raw?.c;
      if (typeof t !== 'number' || !Number.isFinite(t) || typeof close !== 'number' || !(close > 0) || !Number.isFinite(close)) {
        throw new MarketDataError(symbol, `${symbol}: Polygon returned a bar without a valid t/c: ${JSON.stringify(raw)}`);
      }
      const date = newYorkDate(t);
      if (date < from || date > to || !isTradingDay(date)) continue;
      bars.push({ symbol, date, open: num(raw.o), high: num(raw.h), low: num(raw.l), close, volume: num(raw.v) });
    }
    return bars;
  }

  private redact(text: string): string {
    return text.split(this.apiKey).join('***');
  }
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function causeCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
}

/** Seconds or an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function snippet(text: string): string {
  try {
    const body = JSON.parse(text) as PolygonResponse;
    const detail = body.error ?? body.message ?? body.status;
    if (typeof detail === 'string') return detail;
  } catch {
    // not JSON: fall through to raw text
  }
  return text.trim().slice(0, 200);
}

function classify(status: number, retryAfter: string | null, text: string): Attempt {
  if (status === 429) {
    return { kind: 'retry', cause: new Error(`HTTP 429: ${snippet(text)}`), retryAfterMs: parseRetryAfter(retryAfter) };
  }
  if (status >= 500) return { kind: 'retry', cause: new Error(`HTTP ${status}: ${snippet(text)}`) };
  if (status < 200 || status >= 300) return { kind: 'fail', cause: new Error(`HTTP ${status}: ${snippet(text)}`) };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { kind: 'retry', cause: new Error(`malformed JSON: ${describeCause(err)}`) };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { kind: 'retry', cause: new Error('malformed JSON: expected an object') };
  }
  const response = body as PolygonResponse;
  if (response.status === 'ERROR') return { kind: 'fail', cause: new Error(`Polygon error: ${snippet(text)}`) };
  return { kind: 'ok', body: response };
}
