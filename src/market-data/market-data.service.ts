import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CalendarDate } from '../common/branded';
import { tradingDaysBetween } from './calendar';
import type { CorporateAction } from '../ledger/ledger.types';
import { planActionFetch } from './action-coverage';
import { ActionCoverage, CorporateActionStore, StoredCorporateAction } from './corporate-action.store';
import { PriceStore, StoredBar } from './price-store';
import { SecurityMasterStore } from './security-master.store';
import { describeCause } from './providers/market-data-provider';
import type { MarketDataProvider } from './providers/market-data-provider';
import { adjustForSplits, PriceMatrix } from './split-adjust';

export type { PriceMatrix } from './split-adjust';

export const MARKET_DATA_PROVIDER = Symbol('MARKET_DATA_PROVIDER');

/** A symbol whose prices could not be had for some dates; reported in the run, never treated as zero. */
export interface PriceIssue {
  symbol: string;
  message: string;
  missing_dates: number;
  first_missing: string | null;
  last_missing: string | null;
}

export interface EnsurePricesResult {
  symbols: number;
  fetchedSymbols: number;
  storedBars: number;
  issues: PriceIssue[];
}

export interface EnsureSecuritiesResult {
  /** Symbols without a security-master row before the call. */
  missing: number;
  stored: number;
  failed: Array<{ symbol: string; message: string }>;
}

export interface EnsureActionsResult {
  fetchedSymbols: number;
  storedActions: number;
  issues: PriceIssue[];
}

const FETCH_CONCURRENCY = 8;

@Injectable()
export class MarketDataService {
  private readonly logger = new Logger('MarketData');

  constructor(
    private readonly store: PriceStore,
    private readonly actions: CorporateActionStore,
    private readonly securities: SecurityMasterStore,
    @Inject(MARKET_DATA_PROVIDER) private readonly provider: MarketDataProvider,
  ) {}

  get providerName(): string {
    return this.provider.name;
  }

  /**
   * Makes sure the store holds closes for every symbol on every trading day of
   * [from, to]: fetches only what is missing (everything with `force`), once per
   * symbol, a few symbols at a time.
   */
  async ensurePrices(
    symbols: string[],
    from: CalendarDate,
    to: CalendarDate,
    options: { force?: boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<EnsurePricesResult> {
    const days = tradingDaysBetween(from, to);
    const stored = options.force ? new Map<string, Set<string>>() : await this.store.storedDates(symbols, from, to);
    const work = symbols
      .map((symbol) => ({ symbol, missing: days.filter((d) => !stored.get(symbol)?.has(d)) }))
      .filter((w) => w.missing.length > 0);
    const issues: PriceIssue[] = [];
    const bars: StoredBar[] = [];
    let done = symbols.length - work.length;
    options.onProgress?.(done, symbols.length);
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const item = work[next++];
        const got = await this.fetchMissing(item.symbol, item.missing);
        bars.push(...got.bars);
        if (got.issue) issues.push(got.issue);
        options.onProgress?.(++done, symbols.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, work.length) }, worker));
    await this.store.upsert(bars);
    if (issues.length) this.logger.warn(`prices missing for ${issues.length} symbol(s): ${issues.map((i) => i.symbol).join(', ')}`);
    return { symbols: symbols.length, fetchedSymbols: work.length, storedBars: bars.length, issues };
  }

  private async fetchMissing(symbol: string, missing: CalendarDate[]): Promise<{ bars: StoredBar[]; issue?: PriceIssue }> {
    const issue = (message: string, still: string[]): PriceIssue => ({
      symbol, message, missing_dates: still.length, first_missing: still[0] ?? null, last_missing: still[still.length - 1] ?? null,
    });
    try {
      const fetched = await this.provider.fetchDailyBars(symbol, missing[0], missing[missing.length - 1]);
      const wanted = new Set<string>(missing);
      const bars = fetched.filter((b) => wanted.has(b.date) && Number.isFinite(b.close) && b.close > 0).map((b) => ({ ...b, source: this.provider.name }));
      const got = new Set(bars.map((b) => b.date));
      const still = missing.filter((d) => !got.has(d));
      return { bars, issue: still.length ? issue(`no price from ${this.provider.name}`, still) : undefined };
    } catch (e) {
      return { bars: [], issue: issue(describeCause(e), missing) };
    }
  }

  /**
   * Makes sure the store holds every split and cash dividend of `symbols` with
   * ex-date in [from, to]: fetches from the provider only what
   * corporate_action_coverage does not cover yet (everything with `force`),
   * then extends the coverage. A provider failure is an issue, never thrown.
   */
  async ensureCorporateActions(symbols: string[], from: CalendarDate, to: CalendarDate, options: { force?: boolean } = {}): Promise<EnsureActionsResult> {
    const unique = [...new Set(symbols)];
    if (!unique.length || from > to) return { fetchedSymbols: 0, storedActions: 0, issues: [] };
    const stored = await this.actions.coverage(unique);
    const work = unique.map((symbol) => planActionFetch(symbol, stored.get(symbol), from, to, options.force)).filter((p) => p.ranges.length > 0);
    if (!work.length) return { fetchedSymbols: 0, storedActions: 0, issues: [] };
    const fetched: StoredCorporateAction[] = [];
    const covered: ActionCoverage[] = [];
    const issues: PriceIssue[] = [];
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const plan = work[next++];
        const { symbol } = plan.covered;
        try {
          for (const range of plan.ranges) fetched.push(...this.toStored(symbol, await this.provider.fetchCorporateActions(symbol, range.from, range.to), range));
          covered.push(plan.covered);
        } catch (e) {
          const days = plan.ranges.flatMap((r) => tradingDaysBetween(r.from, r.to));
          issues.push({ symbol, message: `corporate actions: ${describeCause(e)}`, missing_dates: days.length, first_missing: plan.ranges[0].from, last_missing: plan.ranges[plan.ranges.length - 1].to });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, work.length) }, worker));
    // a symbol that failed keeps none of its fetched actions: its coverage did not move
    const ok = new Set(covered.map((c) => c.symbol));
    const keep = fetched.filter((a) => ok.has(a.symbol));
    await this.actions.storeFetched(keep, covered, this.provider.name);
    if (issues.length) this.logger.warn(`corporate actions missing for ${issues.length} symbol(s): ${issues.map((i) => i.symbol).join(', ')}`);
    return { fetchedSymbols: work.length, storedActions: keep.length, issues };
  }

  /**
   * Classifies the symbols the security master does not know yet, from the
   * provider, in one read and one write (a row loaded by hand is never
   * replaced). A symbol the provider cannot classify stays Unclassified;
   * a failure is logged and returned, never thrown.
   */
  async ensureSecurityDetails(symbols: string[]): Promise<EnsureSecuritiesResult> {
    const missing = await this.securities.missing(symbols);
    if (!missing.length) return { missing: 0, stored: 0, failed: [] };
    let got: Awaited<ReturnType<MarketDataProvider['fetchSecurityDetails']>>;
    try {
      got = await this.provider.fetchSecurityDetails(missing);
    } catch (e) {
      got = { details: [], failed: missing.map((symbol) => ({ symbol, message: describeCause(e) })) };
    }
    const stored = await this.securities.upsert(got.details.map((d) => ({ ...d, source: this.provider.name })));
    if (got.failed.length) this.logger.warn(`classification failed for ${got.failed.length} symbol(s): ${got.failed.map((f) => f.symbol).join(', ')}`);
    return { missing: missing.length, stored, failed: got.failed };
  }

  /** Valid actions inside the fetched range, keyed by the symbol as asked; a repeated (type, ex-date) keeps the first. */
  private toStored(symbol: string, actions: CorporateAction[], range: { from: CalendarDate; to: CalendarDate }): StoredCorporateAction[] {
    const seen = new Set<string>();
    const out: StoredCorporateAction[] = [];
    for (const a of actions) {
      const valid = a.type === 'SPLIT' ? a.ratio !== null && a.ratio > 0 : a.amount !== null && a.amount > 0;
      const key = `${a.type}|${a.exDate}`;
      if (!valid || a.exDate < range.from || a.exDate > range.to || seen.has(key)) continue;
      seen.add(key);
      out.push({ ...a, symbol, source: this.provider.name });
    }
    return out;
  }

  /** The matrix with closes split-adjusted over its own dates: returns computed on it have no split jumps. */
  async splitAdjustedMatrix(matrix: PriceMatrix): Promise<PriceMatrix> {
    if (!matrix.dates.length) return matrix;
    const actions = await this.actions.forSymbols([...matrix.closes.keys()], matrix.dates[matrix.dates.length - 1]);
    return adjustForSplits(matrix, actions);
  }

  /** Closes of `symbols` aligned on the given trading days (NaN where unknown; every symbol gets an array). */
  async priceMatrix(symbols: string[], dates: CalendarDate[]): Promise<PriceMatrix> {
    const closes = new Map<string, Float64Array>();
    if (dates.length === 0) return { dates, closes };
    const stored = await this.store.alignedCloses(symbols, dates);
    for (const symbol of symbols) closes.set(symbol, stored.get(symbol) ?? new Float64Array(dates.length).fill(NaN));
    return { dates, closes };
  }

  /** Every (symbol, date) of the matrix without a close. */
  static gaps(matrix: PriceMatrix): Array<{ symbol: string; date: CalendarDate }> {
    const out: Array<{ symbol: string; date: CalendarDate }> = [];
    for (const [symbol, series] of matrix.closes) {
      series.forEach((v, i) => {
        if (Number.isNaN(v)) out.push({ symbol, date: matrix.dates[i] });
      });
    }
    return out;
  }
}
