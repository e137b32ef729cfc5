import { Inject, Injectable } from '@nestjs/common';
import type { CalendarDate, PortfolioId } from '../../common/branded';
import { asCalendarDate } from '../../common/branded';
import { badRequest } from '../../common/errors';
import { SETTINGS } from '../../config/config.module';
import type { AppSettings } from '../../config/settings';
import { previousTradingDay } from '../../market-data/calendar';
import { CorporateActionStore } from '../../market-data/corporate-action.store';
import { PriceStore } from '../../market-data/price-store';
import { DEFAULT_RISK_PARAMETERS } from '../calculators/risk-types';
import { periodStart } from '../math/periods';
import { PerformanceHistory, PerformanceHistoryStore } from './performance-history.store';
import { buildPerformanceReport, emptyReport } from './performance-report';
import type { PerformanceQuery, PerformanceView } from './performance.dto';

export const DEFAULT_BENCHMARK = 'SPY';

/** GET /portfolio/{id}/performance: resolves the range, reads snapshots and benchmark closes (no provider fetch), builds the report. */
@Injectable()
export class PerformanceService {
  constructor(
    private readonly history: PerformanceHistoryStore,
    private readonly prices: PriceStore,
    private readonly actions: CorporateActionStore,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async report(id: PortfolioId, q: PerformanceQuery): Promise<PerformanceView> {
    if (q.period && (q.from || q.to)) throw badRequest('period cannot be combined with from or to');
    if (q.from && q.to && q.from > q.to) throw badRequest(`from ${q.from} is after to ${q.to}`);
    const symbol = q.benchmark ?? DEFAULT_BENCHMARK;
    const bounds = await this.history.bounds(id);
    if (!bounds) {
      return emptyReport(q.from ?? null, q.to ?? null, symbol, 'no snapshots yet: POST /api/v1/portfolio/{id}/calculate');
    }
    const from = asCalendarDate(q.period ? periodStart(q.period, bounds.inception, bounds.latest) : maxDate(q.from ?? bounds.inception, bounds.inception));
    const to = asCalendarDate(q.period ? bounds.latest : (q.to ?? bounds.latest));
    if (from > to) return emptyReport(from, to, symbol, `no snapshots between ${from} and ${to} (the latest is ${bounds.latest})`);
    return this.reportOn(await this.history.range(id, from, to), from, to, symbol);
  }

  /** The report of a given snapshot history (one portfolio's, or several summed into one book by the aggregate view). */
  async reportOn(history: PerformanceHistory, from: CalendarDate, to: CalendarDate, symbol: string): Promise<PerformanceView> {
    if (!history.days.length) return emptyReport(from, to, symbol, `no snapshots between ${from} and ${to}`);
    const dates = history.days.map((d) => d.date);
    // the benchmark is measured over the same intervals: from the base close, or at inception from the previous trading day's close
    const benchDates: CalendarDate[] = [history.base?.date ?? previousTradingDay(dates[0]), ...dates];
    const [closes, actions] = await Promise.all([
      this.prices.alignedCloses([symbol], benchDates),
      this.actions.forSymbols([symbol], dates[dates.length - 1]),
    ]);
    return buildPerformanceReport({
      from,
      history,
      benchmark: {
        symbol,
        dates: benchDates,
        closes: closes.get(symbol) ?? new Float64Array(benchDates.length).fill(NaN),
        actions: actions.get(symbol) ?? [],
      },
      riskFreeRate: this.settings.riskFreeRate,
      minRegressionObservations: DEFAULT_RISK_PARAMETERS.betaMinObservations,
      minReturns: DEFAULT_RISK_PARAMETERS.performanceMinReturns,
    });
  }
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
