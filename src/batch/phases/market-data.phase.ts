import { Inject, Injectable } from '@nestjs/common';
import { FACTOR_SYMBOLS } from '../../analytics/calculators';
import type { CalendarDate, PortfolioId } from '../../common/branded';
import { SETTINGS } from '../../config/config.module';
import type { AppSettings } from '../../config/settings';
import { tradingDaysBack } from '../../market-data/calendar';
import { MarketDataService } from '../../market-data/market-data.service';
import { LedgerScopeRepository } from '../ledger-scope.repository';
import { PriceWindowCache } from './price-window.cache';

/**
 * The first date a run needs prices from: the risk window of its first date,
 * or earlier when a portfolio's snapshots must be (re)computed from before it
 * (missing days, a stale ledger, a first run), but never more than
 * LEDGER_MAX_RECOMPUTE_DAYS trading days back (such a portfolio fails in the
 * snapshot phase with the reason).
 */
export function priceRangeStart(firstDate: CalendarDate, earliestRecompute: CalendarDate | null, maxRecomputeDays: number): CalendarDate {
  let from = PriceWindowCache.window(firstDate)[0];
  if (earliestRecompute !== null && earliestRecompute < from) from = earliestRecompute;
  const bound = tradingDaysBack(firstDate, maxRecomputeDays);
  return from < bound ? bound : from;
}

/**
 * Phase 1, once per run: closes of every symbol held in scope plus the factor
 * ETFs, and their corporate actions, from the earliest date a snapshot must be computed (or the look-back
 * window of the run's first date) through its last. Only what is missing is
 * fetched; what cannot be had is recorded on the run.
 */
@Injectable()
export class MarketDataPhase {
  constructor(
    private readonly scope: LedgerScopeRepository,
    private readonly marketData: MarketDataService,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  /**
   * The fetch; the issues are returned for the caller to record (fenced by its
   * epoch). `signal` stops it: the answer rejects at once with the signal's
   * reason, and the fetch still in flight stops at its next symbol.
   */
  async process(
    dates: CalendarDate[],
    portfolioIds: PortfolioId[] | 'all',
    force: boolean,
    onProgress: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<{ symbols: number; issues: unknown[] }> {
    if (!signal) return this.fetch(dates, portfolioIds, force, onProgress);
    signal.throwIfAborted();
    const progress = (done: number, total: number) => {
      signal.throwIfAborted(); // ends each fetch loop at its next symbol
      onProgress(done, total);
    };
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const work = this.fetch(dates, portfolioIds, force, progress);
    work.catch(() => undefined); // after an abort its rejection is nobody's
    try {
      return await Promise.race([work, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async fetch(dates: CalendarDate[], portfolioIds: PortfolioId[] | 'all', force: boolean, onProgress: (done: number, total: number) => void): Promise<{ symbols: number; issues: unknown[] }> {
    const [held, earliest] = await Promise.all([this.scope.priceSymbols(portfolioIds), this.scope.earliestRecompute(portfolioIds, dates[0])]);
    const symbols = [...new Set([...FACTOR_SYMBOLS, ...held])].sort();
    const from = priceRangeStart(dates[0], earliest, this.settings.ledgerMaxRecomputeDays);
    const to = dates[dates.length - 1];
    const result = await this.marketData.ensurePrices(symbols, from, to, { force, onProgress });
    // splits and dividends over the same range: the ledger books them, returns adjust for splits
    const actions = await this.marketData.ensureCorporateActions(symbols, from, to, { force });
    await this.marketData.ensureSecurityDetails(held); // sectors etc. of held symbols the security master lacks (exposures)
    return { symbols: symbols.length, issues: [...result.issues, ...actions.issues] };
  }
}
