import { Injectable } from '@nestjs/common';
import { FACTOR_SYMBOLS } from '../../analytics/calculators';
import type { BatchRunId, CalendarDate, PortfolioId } from '../../common/branded';
import { MarketDataService } from '../../market-data/market-data.service';
import { PortfolioBookReader } from '../../portfolios/portfolio-book.reader';
import { BatchRunRepository } from '../batch-run.repository';
import { PriceWindowCache } from './price-window.cache';

/**
 * Phase 1, once per run: closes of every symbol held in scope plus the factor
 * ETFs over the look-back window of the run's first date through its last.
 * Only what is missing is fetched; what cannot be had is recorded on the run.
 */
@Injectable()
export class MarketDataPhase {
  constructor(
    private readonly books: PortfolioBookReader,
    private readonly marketData: MarketDataService,
    private readonly runs: BatchRunRepository,
  ) {}

  async process(
    runId: BatchRunId,
    dates: CalendarDate[],
    portfolioIds: PortfolioId[] | 'all',
    force: boolean,
    onProgress: (done: number, total: number) => void,
  ): Promise<{ symbols: number; issues: number }> {
    const held = await this.books.priceSymbols(portfolioIds);
    const symbols = [...new Set([...FACTOR_SYMBOLS, ...held])].sort();
    const from = PriceWindowCache.window(dates[0])[0];
    const result = await this.marketData.ensurePrices(symbols, from, dates[dates.length - 1], { force, onProgress });
    await this.runs.addMarketDataIssues(runId, result.issues);
    return { symbols: symbols.length, issues: result.issues.length };
  }
}
