import { Maybe, Series, insufficient, isPresent, ok, unavailable } from './maybe';
import { SQRT_TRADING_DAYS, TRADING_DAYS_PER_YEAR } from './volatility';

/**
 * Performance ratios on realised daily returns, following empyrical's
 * conventions (quantopian/empyrical stats.py): Sharpe = mean(r − rf) /
 * std(r − rf, ddof = 1) × √252; Sortino = mean(r − rf) /
 * sqrt(mean(min(r − rf, 0)²)) × √252; max drawdown = min(value / running
 * peak − 1). The risk-free rate is an ANNUAL rate, applied per day as
 * rate / 252 (empyrical takes a per-period rate: pass 252 × that).
 */

/**
 * Largest peak-to-trough fall of a value series, as a fraction ≤ 0
 * (−0.25 = a 25% drawdown). Needs at least one positive value to be a peak.
 */
export function maxDrawdown(values: Series): Maybe<number> {
  let peak = -Infinity;
  let worst = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isPresent(v)) continue;
    n++;
    if (v > peak) peak = v;
    if (peak > 0 && v / peak - 1 < worst) worst = v / peak - 1;
  }
  if (n === 0) return insufficient(0, 1, 'values');
  if (!(peak > 0)) return unavailable('no positive value to measure a drawdown from');
  return ok(worst);
}

/**
 * Max drawdown of the value path compounded from daily returns, starting at 1
 * before the first return (empyrical.max_drawdown). Missing days are skipped.
 */
export function maxDrawdownFromReturns(returns: Series): Maybe<number> {
  let value = 1;
  let peak = 1;
  let worst = 0;
  let n = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (!isPresent(r)) continue;
    n++;
    value *= 1 + r;
    if (value > peak) peak = value;
    if (value / peak - 1 < worst) worst = value / peak - 1;
  }
  if (n === 0) return insufficient(0, 1, 'returns');
  return ok(Math.max(-1, worst));
}

interface Excess {
  n: number;
  mean: number;
  /** Σ (x − mean)² */
  ss: number;
  /** Σ min(x, 0)² */
  downside: number;
}

function excessStats(returns: Series, riskFreeAnnual: number): Excess {
  const rf = riskFreeAnnual / TRADING_DAYS_PER_YEAR;
  let n = 0;
  let sum = 0;
  let downside = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (!isPresent(r)) continue;
    const x = r - rf;
    sum += x;
    if (x < 0) downside += x * x;
    n++;
  }
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (isPresent(r)) ss += (r - rf - mean) * (r - rf - mean);
  }
  return { n, mean, ss, downside };
}

/** Annualised Sharpe ratio (sample std, ddof = 1). Needs ≥ 2 returns. */
export function sharpeRatio(returns: Series, riskFreeAnnual = 0, minObservations = 2): Maybe<number> {
  const need = Math.max(2, minObservations);
  const s = excessStats(returns, riskFreeAnnual);
  if (s.n < need) return insufficient(s.n, need, 'returns');
  const sd = Math.sqrt(s.ss / (s.n - 1));
  if (!(sd > 1e-15)) return unavailable('returns have no volatility');
  return ok((s.mean / sd) * SQRT_TRADING_DAYS);
}

/**
 * Annualised Sortino ratio; downside deviation = sqrt(mean(min(r − rf, 0)²))
 * over ALL observations (empyrical.downside_risk). Needs ≥ 2 returns and at
 * least one below the risk-free return.
 */
export function sortinoRatio(returns: Series, riskFreeAnnual = 0, minObservations = 2): Maybe<number> {
  const need = Math.max(2, minObservations);
  const s = excessStats(returns, riskFreeAnnual);
  if (s.n < need) return insufficient(s.n, need, 'returns');
  const dd = Math.sqrt(s.downside / s.n);
  if (!(dd > 1e-15)) return unavailable('no returns below the risk-free return (downside deviation is 0)');
  return ok((s.mean / dd) * SQRT_TRADING_DAYS);
}
