import { Inject, Injectable } from '@nestjs/common';
import { calculateRisk, FACTOR_SYMBOLS, RiskPositionInput } from '../../analytics/calculators';
import { RiskStore } from '../../analytics/risk.store';
import { SnapshotStore } from '../../analytics/snapshot.store';
import type { BatchRunId, CalendarDate, PortfolioId } from '../../common/branded';
import { SETTINGS } from '../../config/config.module';
import type { AppSettings } from '../../config/settings';
import { PortfolioBookReader } from '../../portfolios/portfolio-book.reader';
import { PortfolioFailure } from '../batch-work.repository';
import { ChunkOutcome, errorText, priceSymbol } from './phase-result';
import { PriceWindowCache } from './price-window.cache';

/** Phase 3 for a chunk of portfolios: the risk record of DESIGN §6 from the day's snapshot and the price window. */
@Injectable()
export class RiskPhase {
  constructor(
    private readonly books: PortfolioBookReader,
    private readonly snapshots: SnapshotStore,
    private readonly risk: RiskStore,
    private readonly prices: PriceWindowCache,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async process(runId: BatchRunId, date: CalendarDate, ids: PortfolioId[]): Promise<ChunkOutcome> {
    const books = await this.books.load(ids);
    const window = PriceWindowCache.window(date);
    const [today, history] = await Promise.all([this.snapshots.valuesOn(ids, date), this.snapshots.history(ids, window[0], date)]);
    const symbols = [...new Set([...FACTOR_SYMBOLS, ...[...books.values()].flatMap((b) => b.positions.map(priceSymbol))])];
    const market = await this.prices.series(runId, date, symbols);
    const settings = { riskFreeRate: this.settings.riskFreeRate, defaultImpliedVolatility: this.settings.defaultImpliedVolatility };
    const rows: Array<{ portfolioId: PortfolioId; date: CalendarDate; metrics: unknown }> = [];
    const failures: PortfolioFailure[] = [];
    for (const id of ids) {
      const book = books.get(id);
      const snapshot = today.get(id);
      if (!book || !snapshot) {
        failures.push({ portfolioId: id, phase: 'risk_analytics', date, error: book ? `no snapshot for ${date}` : 'portfolio was deleted' });
        continue;
      }
      try {
        const values = snapshot.marketValues;
        const positions: RiskPositionInput[] = book.positions
          .filter((p) => p.entryDate <= date)
          .map((p) => ({ ...p, marketValue: values.get(p.id) ?? null }));
        const metrics = calculateRisk({ calculationDate: date, positions, history: history.get(id) ?? [], market, totalValue: snapshot.totalValue, settings });
        rows.push({ portfolioId: id, date, metrics });
      } catch (e) {
        failures.push({ portfolioId: id, phase: 'risk_analytics', date, error: errorText(e) });
      }
    }
    await this.risk.upsert(rows, runId);
    return { processed: ids.length, failures };
  }
}
