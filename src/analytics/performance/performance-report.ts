import type { CalendarDate } from '../../common/branded';
import { daysBetween } from '../../common/dates';
import {
  type DatedFlow, activeReturns, annualizedReturn, betaAlpha, captureRatio, drawdownPath, flowNeutralReturns, informationRatio, isPresent,
  monthlyReturns, type PriceAction, sharpeRatio, sortinoRatio, timeWeightedReturn, totalReturns, trackingError, xirr,
} from '../math';
import { type Reasons, take } from '../calculators/risk-sections';
import type { PerformanceDay, PerformanceHistory } from './performance-history.store';
import type { PerformanceView } from './performance.dto';

/** Closes of the benchmark as traded, aligned on [the benchmark's start close, ...the range's days]; NaN where none is stored. */
export interface BenchmarkCloses {
  readonly symbol: string;
  readonly dates: readonly CalendarDate[];
  readonly closes: ArrayLike<number>;
  readonly actions: readonly PriceAction[];
}

export interface PerformanceInput {
  readonly from: CalendarDate;
  readonly history: PerformanceHistory;
  readonly benchmark: BenchmarkCloses;
  readonly riskFreeRate: number;
  /** Minimum daily pairs for beta and alpha (DESIGN §6: 30). */
  readonly minRegressionObservations: number;
  /** Minimum daily returns for Sharpe and Sortino. */
  readonly minReturns: number;
}

/** The top-level figures that are null with a reason when they cannot be had. */
const FIGURES = [
  'twr', 'twr_annualized', 'mwr', 'benchmark_return', 'excess_return', 'tracking_error', 'information_ratio', 'beta',
  'alpha_annualized', 'up_capture', 'down_capture', 'sharpe', 'sortino', 'max_drawdown', 'realized_pnl', 'unrealized_pnl',
  'income', 'fees', 'net_flows',
] as const;

/** `a, b, c and 12 more`: a reason stays readable on long gaps. */
export function listDates(dates: readonly string[], max = 10): string {
  return dates.length <= max ? dates.join(', ') : `${dates.slice(0, max).join(', ')} and ${dates.length - max} more`;
}

/** The report of a range without snapshots: every figure null with `reason`. */
export function emptyReport(from: string | null, to: string | null, benchmark: string, reason: string): PerformanceView {
  const view = {
    from, to, benchmark,
    ...Object.fromEntries(FIGURES.map((k) => [k, null])),
    drawdown: { peak_date: null, trough_date: null, recovery_date: null },
    monthly_returns: [], series: [],
    reasons: { ...Object.fromEntries(FIGURES.map((k) => [k, reason])), drawdown: reason },
  };
  return view as unknown as PerformanceView;
}

/**
 * MWR cash flows (DESIGN §8): −V at the base close (or, from inception, the
 * first day's flows as its opening investment), −F for each later flow on
 * its day, +V at the end.
 */
export function mwrFlows(base: PerformanceDay | null, days: readonly PerformanceDay[]): DatedFlow[] {
  const flows: DatedFlow[] = [];
  if (base) flows.push({ date: base.date, amount: -base.value });
  for (const d of days) if (d.netFlows !== 0) flows.push({ date: d.date, amount: -d.netFlows });
  const last = days[days.length - 1];
  flows.push({ date: last.date, amount: last.value });
  return flows;
}

interface BenchmarkReturns {
  returns: (number | null)[];
  /** Why the benchmark figures are null (missing closes), or null when every day has a return. */
  reason: string | null;
}

function benchmarkReturns(b: BenchmarkCloses): BenchmarkReturns {
  const returns = totalReturns(b.dates, b.closes, b.actions);
  const missing = b.dates.filter((_, i) => !isPresent(b.closes[i]));
  if (missing.length === b.dates.length) return { returns, reason: `no stored closes of ${b.symbol} from ${b.dates[0]} to ${b.dates[b.dates.length - 1]}` };
  return { returns, reason: missing.length ? `no stored close of ${b.symbol} on ${listDates(missing)}` : null };
}

function benchmarkSection(returns: (number | null)[], bench: BenchmarkReturns, twr: number | null, p: PerformanceInput, reasons: Reasons) {
  if (bench.reason) {
    for (const k of ['benchmark_return', 'excess_return', 'tracking_error', 'information_ratio', 'beta', 'alpha_annualized', 'up_capture', 'down_capture']) {
      reasons[k] = bench.reason;
    }
    return { benchmark_return: null, excess_return: null, tracking_error: null, information_ratio: null, beta: null, alpha_annualized: null, up_capture: null, down_capture: null };
  }
  const benchmarkReturn = take(timeWeightedReturn(bench.returns), 'benchmark_return', reasons);
  const active = activeReturns(returns, bench.returns);
  const fit = take(betaAlpha(returns, bench.returns, p.minRegressionObservations), 'beta', reasons);
  if (!fit) reasons.alpha_annualized = reasons.beta;
  let excess: number | null = null;
  if (twr !== null && benchmarkReturn !== null) excess = twr - benchmarkReturn;
  else reasons.excess_return = twr === null ? 'no TWR' : 'no benchmark return';
  return {
    benchmark_return: benchmarkReturn,
    excess_return: excess,
    tracking_error: take(trackingError(active), 'tracking_error', reasons),
    information_ratio: take(informationRatio(active), 'information_ratio', reasons),
    beta: fit?.beta ?? null,
    alpha_annualized: fit?.alphaAnnualized ?? null,
    up_capture: take(captureRatio(returns, bench.returns, 'up'), 'up_capture', reasons),
    down_capture: take(captureRatio(returns, bench.returns, 'down'), 'down_capture', reasons),
  };
}

/** Growth of 1 of the benchmark per day; null from the first day without a return on (never bridged with 0). */
function benchmarkIndex(returns: readonly (number | null)[]): (number | null)[] {
  let level: number | null = 1;
  return returns.map((r) => (level = level !== null && isPresent(r) ? level * (1 + r) : null));
}

function sum(days: readonly PerformanceDay[], f: (d: PerformanceDay) => number): number {
  return days.reduce((s, d) => s + f(d), 0);
}

type Path = ReturnType<typeof drawdownPath>['value'];

/** max_drawdown and the worst episode's dates; index −1 (the start of the index) is the range's start date. */
function drawdownSection(path: Path, dates: readonly CalendarDate[], start: CalendarDate, reasons: Reasons) {
  const episode = path?.episode ?? null;
  const dateAt = (i: number | null): CalendarDate | null => (i === null ? null : i < 0 ? start : dates[i]);
  if (!path) reasons.drawdown = reasons.max_drawdown ?? 'no returns';
  else if (!episode) reasons.drawdown = 'no drawdown in the range';
  else if (episode && episode.recoveryIndex === null) reasons['drawdown.recovery_date'] = `not recovered by ${dates[dates.length - 1]}`;
  return {
    max_drawdown: path ? (episode?.maxDrawdown ?? 0) : null,
    drawdown: {
      peak_date: dateAt(episode?.peakIndex ?? null),
      trough_date: dateAt(episode?.troughIndex ?? null),
      recovery_date: dateAt(episode?.recoveryIndex ?? null),
    },
  };
}

/** Range sums of the day fields; unrealized P&L is the level at the end. */
function pnlSection(days: readonly PerformanceDay[], reasons: Reasons) {
  const last = days[days.length - 1];
  if (last.unrealizedPnl === null) reasons.unrealized_pnl = `no unrealized P&L booked on ${last.date}`;
  return {
    realized_pnl: sum(days, (d) => d.realizedPnl),
    unrealized_pnl: last.unrealizedPnl,
    income: sum(days, (d) => d.income),
    fees: sum(days, (d) => d.fees),
    net_flows: sum(days, (d) => d.netFlows),
  };
}

/**
 * GET /performance from the range's snapshots (DESIGN §8), pure. Daily
 * returns are recomputed flow-neutral from value and net flows, so they hold
 * for any range base (the stored daily_return is the same figure for
 * consecutive days).
 */
export function buildPerformanceReport(p: PerformanceInput): PerformanceView {
  const { base, days } = p.history;
  const reasons: Reasons = {};
  const dates = days.map((d) => d.date);
  const to = dates[dates.length - 1];
  const returns = flowNeutralReturns(days.map((d) => d.value), days.map((d) => d.netFlows), base?.value ?? null);
  const gaps = dates.filter((_, i) => returns[i] === null);
  if (gaps.length) reasons.daily_returns = `no flow-neutral return on ${listDates(gaps)} (no invested base): left out of the figures`;
  // the index starts at the base close, or at inception at the first day's opening flows
  const start = base?.date ?? dates[0];
  const twr = take(timeWeightedReturn(returns), 'twr', reasons);
  const bench = benchmarkReturns(p.benchmark);
  const path = take(drawdownPath(returns), 'max_drawdown', reasons);
  const benchIndex = benchmarkIndex(bench.returns);
  if (twr === null) reasons.twr_annualized = reasons.twr;
  const view: PerformanceView = {
    from: p.from,
    to,
    benchmark: p.benchmark.symbol,
    twr,
    twr_annualized: twr === null ? null : take(annualizedReturn(twr, daysBetween(start, to)), 'twr_annualized', reasons),
    mwr: take(xirr(mwrFlows(base, days)), 'mwr', reasons),
    ...benchmarkSection(returns, bench, twr, p, reasons),
    sharpe: take(sharpeRatio(returns, p.riskFreeRate, p.minReturns), 'sharpe', reasons),
    sortino: take(sortinoRatio(returns, p.riskFreeRate, p.minReturns), 'sortino', reasons),
    ...drawdownSection(path, dates, start, reasons),
    monthly_returns: monthly(dates, returns, bench, p.benchmark.symbol, reasons),
    series: days.map((d, i) => ({
      date: d.date,
      value: d.value,
      twr_index: path ? path.index[i] : null,
      benchmark_index: benchIndex[i],
      drawdown: path ? path.drawdown[i] : null,
    })),
    ...pnlSection(days, reasons),
    reasons,
  };
  for (const k of FIGURES) if (view[k] === null && !reasons[k]) reasons[k] = 'unavailable';
  return view;
}

function monthly(dates: CalendarDate[], returns: (number | null)[], bench: BenchmarkReturns, symbol: string, reasons: Reasons) {
  const own = monthlyReturns(dates, returns, 'skip');
  const theirs = monthlyReturns(dates, bench.returns, 'null');
  return own.map((m, i) => {
    const b = theirs[i];
    if (m.value === null) reasons[`monthly_returns.${m.month}.return`] = m.reason ?? 'unavailable';
    if (b.value === null) reasons[`monthly_returns.${m.month}.benchmark_return`] = `${symbol}: ${b.reason ?? 'unavailable'}`;
    return { month: m.month, return: m.value, benchmark_return: b.value };
  });
}
