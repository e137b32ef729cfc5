import { type CalendarDate, asCalendarDate } from '../../common/branded';
import { performanceSection } from '../calculators/risk-sections';
import { DEFAULT_RISK_PARAMETERS } from '../calculators/risk-types';
import type { PerformanceDay } from './performance-history.store';
import { type PerformanceInput, buildPerformanceReport, mwrFlows } from './performance-report';

const d = asCalendarDate;

/** A hand-made book: 1,000 deposited on 2025-01-30, holdings earn `market`, 500 more deposited on 2025-02-04. */
const dates = ['2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04', '2025-02-05'].map(d);
const market = [0.01, -0.02, 0.03, -0.01, 0.02];
const flows = [1000, 0, 0, 500, 0];
function book(): PerformanceDay[] {
  let v = 0;
  return dates.map((date, i) => {
    v = (v + flows[i]) * (1 + market[i]);
    return { date, value: v, netFlows: flows[i], realizedPnl: i, income: 0.5, fees: 0.25, unrealizedPnl: 10 * i };
  });
}

function input(days: PerformanceDay[], closes: number[], base: PerformanceDay | null = null): PerformanceInput {
  const benchDates = [d('2025-01-29'), ...days.map((x) => x.date)];
  return {
    from: days[0].date,
    history: { base, days },
    benchmark: { symbol: 'SPY', dates: benchDates, closes, actions: [] },
    riskFreeRate: 0,
    minRegressionObservations: 3,
    minReturns: 2,
  };
}

describe('buildPerformanceReport', () => {
  it('measures TWR on flow-neutral returns, MWR on the flows, and sums the day fields', () => {
    const days = book();
    const r = buildPerformanceReport(input(days, [100, 101, 100, 102, 101, 103]));
    const holdings = market.reduce((g, m) => g * (1 + m), 1) - 1;
    expect(r.twr).toBeCloseTo(holdings, 12);
    expect(r.twr_annualized).toBeNull();
    expect(r.reasons.twr_annualized).toBe('range of 6 calendar days is shorter than 365: not annualised');
    // benchmark 100 → 103 over the range
    expect(r.benchmark_return).toBeCloseTo(0.03, 12);
    expect(r.excess_return).toBeCloseTo(holdings - 0.03, 12);
    expect(r.realized_pnl).toBe(0 + 1 + 2 + 3 + 4);
    expect(r.income).toBeCloseTo(2.5, 12);
    expect(r.fees).toBeCloseTo(1.25, 12);
    expect(r.net_flows).toBe(1500);
    expect(r.unrealized_pnl).toBe(40);
    expect(r.monthly_returns).toEqual([
      { month: '2025-01', return: expect.closeTo(1.01 * 0.98 - 1, 12), benchmark_return: expect.closeTo(0, 12) },
      { month: '2025-02', return: expect.closeTo(1.03 * 0.99 * 1.02 - 1, 12), benchmark_return: expect.closeTo(103 / 100 - 1, 12) },
    ]);
    expect(r.series[4]).toEqual({ date: '2025-02-05', value: days[4].value, twr_index: expect.closeTo(1 + holdings, 12), benchmark_index: expect.closeTo(1.03, 12), drawdown: expect.any(Number) });
    // drawdown: index 1.01, 0.9898 (−2% from 1.01): peak 01-30, trough 01-31, recovered 02-03
    expect(r.max_drawdown).toBeCloseTo(-0.02, 12);
    expect(r.drawdown).toEqual({ peak_date: '2025-01-30', trough_date: '2025-01-31', recovery_date: '2025-02-03' });
    // MWR: −1000 on 01-30, −500 on 02-04, +V on 02-05
    expect(mwrFlows(null, days)).toEqual([
      { date: '2025-01-30', amount: -1000 }, { date: '2025-02-04', amount: -500 }, { date: '2025-02-05', amount: days[4].value },
    ]);
    expect(r.mwr).toEqual(expect.any(Number));
    expect(r.beta).toEqual(expect.any(Number));
  });

  it('a range after inception starts from the base close: −V_base in the MWR, the first return from V_base', () => {
    const days = book();
    const r = buildPerformanceReport({ ...input(days.slice(2), [101, 100, 102, 101, 103].slice(1)), history: { base: days[1], days: days.slice(2) } });
    expect(r.twr).toBeCloseTo(1.03 * 0.99 * 1.02 - 1, 12);
    expect(mwrFlows(days[1], days.slice(2))[0]).toEqual({ date: '2025-01-31', amount: -days[1].value });
  });

  it('a missing benchmark close nulls the figures that need it, naming the symbol and date, never bridging with 0', () => {
    const r = buildPerformanceReport(input(book(), [100, 101, 100, NaN, 101, 103]));
    for (const k of ['benchmark_return', 'excess_return', 'tracking_error', 'information_ratio', 'beta', 'alpha_annualized', 'up_capture', 'down_capture'] as const) {
      expect(r[k]).toBeNull();
      expect(r.reasons[k]).toBe('no stored close of SPY on 2025-02-03');
    }
    expect(r.monthly_returns[0].benchmark_return).toBeCloseTo(0, 12);
    expect(r.monthly_returns[1].benchmark_return).toBeNull();
    expect(r.reasons['monthly_returns.2025-02.benchmark_return']).toMatch(/SPY: no return on 2025-02-03, 2025-02-04/);
    expect(r.series.map((p) => p.benchmark_index === null)).toEqual([false, false, true, true, true]);
    expect(r.twr).not.toBeNull();
  });

  it("Sharpe, Sortino and max drawdown equal the analytics view's on the same flow-neutral daily returns", () => {
    // the risk phase's performanceSection reads the stored daily_return, which the snapshot phase books flow-neutral
    const days = book();
    const r = buildPerformanceReport(input(days, [100, 101, 100, 102, 101, 103]));
    let prev: number | null = null;
    const history = days.map((x) => {
      const base: number = (prev ?? 0) + x.netFlows;
      prev = x.value;
      return { date: x.date as CalendarDate, totalValue: x.value, dailyReturn: (x.value - base) / base };
    });
    const view = performanceSection(history, dates[4], 0, DEFAULT_RISK_PARAMETERS, {});
    expect(view.sharpe).toBeCloseTo(r.sharpe!, 12);
    expect(view.sortino).toBeCloseTo(r.sortino!, 12);
    expect(view.max_drawdown).toBeCloseTo(r.max_drawdown!, 12);
  });
});
