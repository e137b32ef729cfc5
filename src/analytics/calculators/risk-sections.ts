import { CalendarDate } from '../../common/branded';
import {
  annualizedVolatility,
  concentration,
  correlationMatrix,
  historicalVar,
  isPresent,
  linearRegression,
  maxDrawdownFromReturns,
  sharpeRatio,
  sortinoRatio,
  stressPnl,
  tail,
  unitSeries,
} from '../math';
import { Holding, HoldingsSeries, aligned } from './holdings';
import { MarketSeries, windowEnding } from './market';
import {
  BetaRecord,
  ConcentrationRecord,
  CorrelationRecord,
  FactorExposuresRecord,
  GreeksRecord,
  PerformanceRecord,
  PositionBetaRecord,
  RatesExposureRecord,
  RiskParameters,
  SnapshotHistoryPoint,
  StressTestsRecord,
  VOLATILITY_WINDOWS,
  VarRecord,
  VolatilityRecord,
} from './risk-types';
import { MARKET_SYMBOL } from './factors';
import { StressScenarioSet } from './stress-scenarios';
import { isOption } from './position-valuation';

export type Reasons = Record<string, string>;

/** Keeps the value, or records the reason under `key` and gives null. */
export function take<T>(m: { value: T | null; reason?: string }, key: string, reasons: Reasons): T | null {
  if (m.value === null) reasons[key] = m.reason ?? 'unavailable';
  return m.value;
}

export function volatilitySection(series: HoldingsSeries, reasons: Reasons): VolatilityRecord {
  const vol = (w: (typeof VOLATILITY_WINDOWS)[number]): number | null =>
    take(annualizedVolatility(series.returns, w, w), `volatility.vol_${w}d`, reasons);
  return { vol_21d: vol(21), vol_63d: vol(63), vol_252d: vol(252) };
}

export function portfolioBeta(
  series: HoldingsSeries, market: MarketSeries, end: number, p: RiskParameters, reasons: Reasons,
): BetaRecord | null {
  const spy = market.returns(MARKET_SYMBOL);
  if (!spy) {
    reasons.beta = `no prices for ${MARKET_SYMBOL}`;
    return null;
  }
  const [y, x] = aligned(series, end, spy, p.betaWindow);
  const fit = take(linearRegression(y, x, p.betaMinObservations), 'beta', reasons);
  return fit && {
    beta: fit.beta, alpha: fit.alpha, r_squared: fit.rSquared, observations: fit.observations, window_days: p.betaWindow,
  };
}

export function positionBetas(
  holdings: readonly Holding[], market: MarketSeries, end: number, p: RiskParameters,
): PositionBetaRecord[] {
  const spy = market.returns(MARKET_SYMBOL);
  const cache = new Map<string, ReturnType<typeof linearRegression>>();
  // a symbol's beta is the same in every portfolio: computed once per market series
  const shared = market.memoTable<ReturnType<typeof linearRegression>>(`beta\u0000${end}\u0000${p.betaWindow}\u0000${p.betaMinObservations}`);
  return holdings.map((h) => {
    let fit = cache.get(h.priceSymbol);
    if (!fit) {
      const r = h.returns;
      const ownReturns = r !== null && r === market.returns(h.priceSymbol);
      fit = !spy ? { value: null, reason: `no prices for ${MARKET_SYMBOL}` }
        : !r || end < 1 ? { value: null, reason: `no price history for ${h.priceSymbol}` }
        : (ownReturns && shared.get(h.priceSymbol))
          || linearRegression(windowEnding(r, end, p.betaWindow), windowEnding(spy, end, p.betaWindow), p.betaMinObservations);
      if (ownReturns && spy && end >= 1) shared.set(h.priceSymbol, fit);
      cache.set(h.priceSymbol, fit);
    }
    const v = fit.value;
    return {
      position_id: h.position.id, symbol: h.position.symbol, price_symbol: h.priceSymbol,
      beta: v?.beta ?? null, alpha: v?.alpha ?? null, r_squared: v?.rSquared ?? null,
      observations: v?.observations ?? null, reason: fit.reason ?? null,
    };
  });
}

export function varSection(series: HoldingsSeries, p: RiskParameters, reasons: Reasons): VarRecord | null {
  const v = take(historicalVar(tail(series.returns, p.varWindow), p.varMinObservations), 'var', reasons);
  if (!v) return null;
  const amount = (f: number): number => f * series.denominator;
  return {
    window_days: p.varWindow,
    observations: v.observations,
    var_95_pct: v.var95.var * 100,
    var_99_pct: v.var99.var * 100,
    cvar_95_pct: v.var95.cvar * 100,
    cvar_99_pct: v.var99.cvar * 100,
    var_95_amount: amount(v.var95.var),
    var_99_amount: amount(v.var99.var),
    cvar_95_amount: amount(v.var95.cvar),
    cvar_99_amount: amount(v.var99.cvar),
  };
}

/** Max drawdown, Sharpe and Sortino on the realised daily returns up to the calculation date. */
export function performanceSection(
  history: readonly SnapshotHistoryPoint[], date: CalendarDate, riskFree: number, p: RiskParameters, reasons: Reasons,
): PerformanceRecord {
  const returns: number[] = [];
  for (const h of history) if (h.date <= date && isPresent(h.dailyReturn)) returns.push(h.dailyReturn);
  const min = Math.max(2, p.performanceMinReturns);
  const enough = returns.length >= min;
  const short = `insufficient data: ${returns.length} realised daily returns, need ${min}`;
  if (!enough) {
    for (const k of ['max_drawdown', 'sharpe', 'sortino']) reasons[`performance.${k}`] = short;
  }
  return {
    observations: returns.length,
    risk_free_rate: riskFree,
    max_drawdown: enough ? take(maxDrawdownFromReturns(returns), 'performance.max_drawdown', reasons) : null,
    sharpe: enough ? take(sharpeRatio(returns, riskFree, min), 'performance.sharpe', reasons) : null,
    sortino: enough ? take(sortinoRatio(returns, riskFree, min), 'performance.sortino', reasons) : null,
  };
}

export function correlationSection(holdings: readonly Holding[], end: number, p: RiskParameters, market?: MarketSeries): CorrelationRecord {
  const n = Math.max(0, Math.min(p.correlationWindow, end));
  const empty = new Float64Array(n).fill(Number.NaN);
  const series = holdings.map((h) => (h.returns && end >= 1 ? windowEnding(h.returns, end, n) : empty));
  // a symbol's normalised return window is the same in every portfolio: computed once per market series
  const shared = market?.memoTable<Float64Array | null>(`unit\u0000${end}\u0000${n}\u0000${p.correlationMinOverlap}`);
  const unit = market && shared && holdings.map((h, i) => {
    if (!h.returns || end < 1 || h.returns !== market.returns(h.priceSymbol)) return undefined;
    let u = shared.get(h.priceSymbol);
    if (u === undefined) shared.set(h.priceSymbol, (u = unitSeries(series[i], p.correlationMinOverlap)));
    return u;
  });
  return {
    window_days: p.correlationWindow,
    min_overlap: p.correlationMinOverlap,
    position_ids: holdings.map((h) => h.position.id),
    symbols: holdings.map((h) => h.position.symbol),
    matrix: correlationMatrix(series, p.correlationMinOverlap, unit),
  };
}

export function concentrationSection(holdings: readonly Holding[], reasons: Reasons): ConcentrationRecord | null {
  const c = take(concentration(holdings.map((h) => h.marketValue)), 'concentration', reasons);
  return c && {
    hhi: c.hhi,
    effective_positions: c.effectivePositions,
    largest_weight: c.largestWeight,
    top_3_weight: c.top3Weight,
    top_10_weight: c.top10Weight,
  };
}

export function greeksSection(holdings: readonly Holding[], reasons: Reasons): GreeksRecord | null {
  const g = { delta: 0, dollar_delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0, option_positions: 0 };
  const unmarked = holdings.filter((h) => !h.mark || h.close === null);
  if (unmarked.length > 0) {
    reasons.greeks = `cannot mark ${unmarked.map((h) => `${h.position.symbol} (${h.reason ?? 'no price'})`).join(', ')}`;
    return null;
  }
  for (const h of holdings) {
    const m = h.mark!;
    g.delta += m.delta;
    g.dollar_delta += m.delta * (h.close as number);
    g.gamma += m.gamma;
    g.theta += m.theta;
    g.vega += m.vega;
    g.rho += m.rho;
    if (isOption(h.position.positionType)) g.option_positions++;
  }
  return g;
}

export function stressSection(
  factors: FactorExposuresRecord | null, rates: RatesExposureRecord | null, beta: BetaRecord | null,
  denominator: number | null, totalValue: number, set: StressScenarioSet,
): StressTestsRecord {
  const exposures: Record<string, number | null> = { rates: rates?.dollar_exposure ?? null };
  let source: StressTestsRecord['market_exposure_source'] = null;
  if (factors) {
    for (const [name, f] of Object.entries(factors.factors)) exposures[name] = f.dollar_exposure;
    source = 'factor_model';
  } else if (beta && denominator !== null) {
    exposures.market = beta.beta * denominator;
    source = 'beta';
  }
  const results = set.scenarios.map((s) => {
    const r = stressPnl(exposures, s.shocks as Record<string, number>, totalValue);
    const pnl = r.value?.pnl ?? null;
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      source: s.source,
      window: s.window,
      pnl,
      pnl_pct: pnl !== null && totalValue > 0 ? (pnl / totalValue) * 100 : null,
      capped: r.value?.capped ?? false,
      reason: r.reason ?? null,
    };
  });
  return { scenario_set_version: set.version, market_exposure_source: source, results };
}
