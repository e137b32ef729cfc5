import { Inject, Injectable } from '@nestjs/common';
import { calculateRisk, FACTOR_SYMBOLS, priceSymbolOf, riskPositionOf } from '../../analytics/calculators';
import { RiskStore } from '../../analytics/risk.store';
import { SnapshotStore } from '../../analytics/snapshot.store';
import type { BatchRunId, CalendarDate, PortfolioId } from '../../common/branded';
import { SETTINGS } from '../../config/config.module';
import type { AppSettings } from '../../config/settings';
import { PortfolioFailure } from '../batch-work.repository';
import { ChunkOutcome, errorText } from './phase-result';
import { DayHoldings, DayHoldingsCache } from './day-holdings.cache';
import { PriceWindowCache } from './price-window.cache';
import { WriteBehind } from './write-behind';
import { SecurityMasterStore } from '../../market-data/security-master.store';
import { PositionTagStore } from '../../portfolios/position-tag.store';


/** Risk records per write: the database stores one slice while the next is computed (WriteBehind). */
const WRITE_SLICE = 50;

/**
 * Phase 3 for a chunk of portfolios: the risk record of DESIGN §6 from the
 * day's snapshot (its positions are the holdings at the close, so risk never
 * re-derives the ledger; expired options are not among them) and the price
 * window.
 */
@Injectable()
export class RiskPhase {
  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly risk: RiskStore,
    private readonly prices: PriceWindowCache,
    private readonly dayHoldings: DayHoldingsCache,
    private readonly securities: SecurityMasterStore,
    private readonly tags: PositionTagStore,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async process(runId: BatchRunId, date: CalendarDate, ids: PortfolioId[]): Promise<ChunkOutcome> {
    const window = PriceWindowCache.window(date);
    const [today, history] = await Promise.all([this.holdingsOn(runId, date, ids), this.snapshots.history(ids, window[0], date)]);
    const symbols = new Set<string>(FACTOR_SYMBOLS);
    for (const s of today.values()) for (const p of s.positions) symbols.add(priceSymbolOf(p));
    const [market, classifications, tags] = await Promise.all([
      this.prices.series(runId, date, [...symbols]),
      this.securities.classify(symbols),
      this.tags.tagsOf(ids),
    ]);
    const settings = { riskFreeRate: this.settings.riskFreeRate, defaultImpliedVolatility: this.settings.defaultImpliedVolatility };
    let rows: Array<{ portfolioId: PortfolioId; date: CalendarDate; metrics: unknown }> = [];
    const failures: PortfolioFailure[] = [];
    const writes = new WriteBehind();
    for (const id of ids) {
      const snapshot = today.get(id);
      if (!snapshot) {
        failures.push({ portfolioId: id, phase: 'risk_analytics', date, error: `no snapshot for ${date}` });
        continue;
      }
      try {
        const metrics = calculateRisk({ calculationDate: date, positions: snapshot.positions, history: history.get(id) ?? [], market, totalValue: snapshot.totalValue, settings, classifications, tags });
        rows.push({ portfolioId: id, date, metrics });
      } catch (e) {
        failures.push({ portfolioId: id, phase: 'risk_analytics', date, error: errorText(e) });
      }
      if (rows.length >= WRITE_SLICE) {
        const slice = rows;
        rows = [];
        await writes.enqueue(() => this.risk.upsert(slice, runId));
      }
    }
    await writes.enqueue(() => this.risk.upsert(rows, runId));
    await writes.flush();
    return { processed: ids.length, failures };
  }

  /** The day's holdings: as this process's snapshot phase booked them for the run, else read back from the snapshots. */
  private async holdingsOn(runId: BatchRunId, date: CalendarDate, ids: PortfolioId[]): Promise<Map<PortfolioId, DayHoldings>> {
    const out = this.dayHoldings.take(runId, date, ids);
    const missing = ids.filter((id) => !out.has(id));
    if (missing.length) for (const [id, h] of await this.snapshots.holdingsOn(missing, date)) out.set(id, { totalValue: h.totalValue, positions: h.positions.map(riskPositionOf) });
    return out;
  }
}
