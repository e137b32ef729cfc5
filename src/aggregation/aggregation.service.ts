import { Inject, Injectable } from '@nestjs/common';
import { FACTOR_SYMBOLS, LedgerPositionValuation, RiskRecord, buildMarketSeries, calculateRisk, riskPositionOf } from '../analytics/calculators';
import { PerformanceService } from '../analytics/performance/performance.service';
import type { PerformanceView } from '../analytics/performance/performance.dto';
import { SnapshotStore } from '../analytics/snapshot.store';
import type { CalendarDate, PortfolioId, UserId } from '../common/branded';
import { badRequest, notFound } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { tradingDaysBack, tradingDaysBetween } from '../market-data/calendar/nyse-calendar';
import { MarketDataService } from '../market-data/market-data.service';
import { SecurityMasterStore } from '../market-data/security-master.store';
import { PositionTagStore } from '../portfolios/position-tag.store';
import { bookReturns, exposuresOf, historySince, mergePositions, mergedTags } from './aggregate-book';
import { AggregationStore, SummedDay } from './aggregation.store';

/** At most this many portfolios in one aggregate. */
export const MAX_AGGREGATE_PORTFOLIOS = 50;
/** The risk phase's price window: 252 returns ending on the date (PriceWindowCache.window). */
const LOOKBACK_TRADING_DAYS = 252;
const BENCHMARK = 'SPY';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AggregateView {
  as_of: CalendarDate | null;
  portfolio_ids: PortfolioId[];
  /** Asked-for portfolios without any snapshot yet: left out. */
  not_calculated: PortfolioId[];
  stale: boolean;
  snapshot: Record<string, unknown> | null;
  risk: RiskRecord | null;
  performance: PerformanceView | null;
  reason?: string;
}

/**
 * GET /portfolio/aggregate: several portfolios as one book. The holdings of
 * the latest date they all have a snapshot for are merged per instrument,
 * their snapshot histories summed by date, and the same calculators run on
 * that (calculateRisk, so every section of the risk record comes along; the
 * performance report on the summed history).
 */
@Injectable()
export class AggregationService {
  constructor(
    private readonly store: AggregationStore,
    private readonly snapshots: SnapshotStore,
    private readonly performance: PerformanceService,
    private readonly marketData: MarketDataService,
    private readonly securities: SecurityMasterStore,
    private readonly tags: PositionTagStore,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  /** The portfolio ids of `?ids=` (default: all the user's), each owned: 400 when malformed or too many, 404 when not the user's. */
  async resolveIds(userId: UserId, ids: string | undefined): Promise<PortfolioId[]> {
    if (ids === undefined) {
      const all = await this.store.allOf(userId);
      if (all.length > MAX_AGGREGATE_PORTFOLIOS) throw badRequest(`you have ${all.length} portfolios: name at most ${MAX_AGGREGATE_PORTFOLIOS} with ?ids=`);
      return all;
    }
    const parts = ids.split(',').map((s) => s.trim().toLowerCase());
    const bad = parts.filter((s) => !UUID.test(s));
    if (bad.length) throw badRequest(`ids: not portfolio ids (uuid): ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
    const unique = [...new Set(parts)] as PortfolioId[];
    if (unique.length > MAX_AGGREGATE_PORTFOLIOS) throw badRequest(`ids: at most ${MAX_AGGREGATE_PORTFOLIOS} portfolios, got ${unique.length}`);
    const owned = await this.store.owned(userId, unique);
    if (unique.some((id) => !owned.has(id))) throw notFound('Portfolio');
    return unique;
  }

  async aggregate(ids: PortfolioId[]): Promise<AggregateView> {
    const latest = await this.store.latestDates(ids);
    const calculated = ids.filter((id) => latest.has(id));
    const view = { portfolio_ids: ids, not_calculated: ids.filter((id) => !latest.has(id)), stale: false };
    if (!calculated.length) {
      return { ...view, as_of: null, snapshot: null, risk: null, performance: null, reason: 'not calculated yet: POST /api/v1/portfolio/{id}/calculate' };
    }
    const asOf = calculated.map((id) => latest.get(id)!).reduce((a, b) => (b < a ? b : a));
    const [days, holdings, tags] = await Promise.all([
      this.store.summedHistory(calculated, asOf),
      this.snapshots.holdingsOn(calculated, asOf),
      this.tags.tagsOf(calculated),
    ]);
    const merged = mergePositions(calculated.map((id) => holdings.get(id)?.positions ?? []));
    const positions = merged.map((m) => m.position);
    const today = days[days.length - 1];
    const history = bookReturns(days);
    const risk = await this.risk(asOf, positions, today.value, history, mergedTags(merged, tags));
    const performance = await this.performance.reportOn({ base: null, days }, days[0].date, asOf, BENCHMARK);
    const snapshot = snapshotOf(today, history[history.length - 1].dailyReturn, positions);
    return { ...view, stale: today.stale, as_of: asOf, snapshot, risk, performance };
  }

  /** The risk record of the merged book, with the inputs the risk phase would give it. */
  private async risk(
    date: CalendarDate, positions: LedgerPositionValuation[], totalValue: number,
    history: ReturnType<typeof bookReturns>, tags: Map<string, string[]>,
  ): Promise<RiskRecord> {
    const window = tradingDaysBetween(tradingDaysBack(date, LOOKBACK_TRADING_DAYS), date);
    const symbols = [...new Set<string>([...FACTOR_SYMBOLS, ...positions.map((p) => p.price_symbol)])];
    const [matrix, classifications] = await Promise.all([
      this.marketData.priceMatrix(symbols, window).then((m) => this.marketData.splitAdjustedMatrix(m)),
      this.securities.classify(symbols),
    ]);
    return calculateRisk({
      calculationDate: date,
      positions: positions.map(riskPositionOf),
      history: historySince(history, window[0]),
      market: buildMarketSeries(matrix),
      totalValue,
      settings: { riskFreeRate: this.settings.riskFreeRate, defaultImpliedVolatility: this.settings.defaultImpliedVolatility },
      classifications,
      tags,
    });
  }
}

/** The combined book's snapshot of the day, shaped like a portfolio's. */
function snapshotOf(day: SummedDay, dailyReturn: number | null, positions: LedgerPositionValuation[]): Record<string, unknown> {
  return {
    snapshot_date: day.date,
    total_value: day.value,
    cash_balance: day.cash,
    ...exposuresOf(positions),
    daily_pnl: day.dailyPnl,
    daily_return: dailyReturn,
    cumulative_pnl: day.cumulativePnl,
    position_count: positions.length,
    net_flows: day.netFlows,
    realized_pnl: day.realizedPnl,
    income: day.income,
    fees: day.fees,
    cumulative_realized_pnl: day.cumulativeRealizedPnl,
    unrealized_pnl: day.unrealizedPnl,
    stale: day.stale,
    positions,
  };
}

