import { Inject, Injectable } from '@nestjs/common';
import { calculateSnapshot, PriceQuote } from '../../analytics/calculators';
import { SnapshotStore, StoredSnapshot } from '../../analytics/snapshot.store';
import type { BatchRunId, CalendarDate, PortfolioId } from '../../common/branded';
import { SETTINGS } from '../../config/config.module';
import type { AppSettings } from '../../config/settings';
import { previousTradingDay } from '../../market-data/calendar';
import { PortfolioBookReader } from '../../portfolios/portfolio-book.reader';
import { PortfolioFailure } from '../batch-work.repository';
import { ChunkOutcome, errorText, priceSymbol } from './phase-result';
import { PriceWindowCache } from './price-window.cache';

/** Phase 2 for a chunk of portfolios: value every position, book P&L, write one snapshot each. */
@Injectable()
export class SnapshotPhase {
  constructor(
    private readonly books: PortfolioBookReader,
    private readonly snapshots: SnapshotStore,
    private readonly prices: PriceWindowCache,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async process(runId: BatchRunId, date: CalendarDate, ids: PortfolioId[]): Promise<ChunkOutcome> {
    const books = await this.books.load(ids);
    const symbols = [...new Set([...books.values()].flatMap((b) => b.positions.map(priceSymbol)))];
    const window = await this.prices.closes(runId, date, symbols);
    const last = window.dates.length - 1;
    const quotes = new Map<string, PriceQuote>();
    for (const s of symbols) {
      const c = window.closes.get(s);
      const close = c && Number.isFinite(c[last]) ? c[last] : null;
      const previousClose = c && last > 0 && Number.isFinite(c[last - 1]) ? c[last - 1] : null;
      quotes.set(s, { close, previousClose });
    }
    const previous = await this.snapshots.latestBefore(ids, date);
    const rows: StoredSnapshot[] = [];
    const failures: PortfolioFailure[] = [];
    const analytics = { riskFreeRate: this.settings.riskFreeRate, defaultImpliedVolatility: this.settings.defaultImpliedVolatility };
    const previousDate = previousTradingDay(date);
    for (const id of ids) {
      const book = books.get(id);
      if (!book) {
        failures.push({ portfolioId: id, phase: 'pnl_snapshots', date, error: 'portfolio was deleted' });
        continue;
      }
      try {
        const prev = previous.get(id);
        const result = calculateSnapshot({
          calculationDate: date,
          previousDate,
          cashBalance: book.cashBalance,
          positions: book.positions,
          prices: quotes,
          previousSnapshot: prev ? { totalValue: prev.totalValue, cumulativePnl: prev.cumulativePnl } : null,
          settings: analytics,
        });
        if (!result.snapshot) {
          const missing = result.missing_prices.map((m) => `${m.symbol} on ${m.date}`).join(', ');
          failures.push({ portfolioId: id, phase: 'pnl_snapshots', date, error: `${result.reason ?? 'cannot value'}${missing ? ` (missing price: ${missing})` : ''}` });
          continue;
        }
        rows.push({ ...result.snapshot, portfolio_id: id, positions: result.positions });
      } catch (e) {
        failures.push({ portfolioId: id, phase: 'pnl_snapshots', date, error: errorText(e) });
      }
    }
    await this.snapshots.upsert(rows, runId);
    return { processed: ids.length, failures };
  }
}
