import { Maybe, Series, isPresent, ok, unavailable } from './maybe';
import { linearRegression } from './regression';
import { SQRT_TRADING_DAYS, TRADING_DAYS_PER_YEAR, mean, sampleStdDev } from './volatility';

/**
 * Benchmark-relative figures on aligned daily returns (DESIGN §8). Days where
 * either series is missing are skipped pairwise. Tracking error and the
 * information ratio follow empyrical (excess_sharpe = mean(active) /
 * std(active, ddof = 1)), annualised with 252 trading days.
 */

/** Daily active returns p − b, null where either is missing. */
export function activeReturns(portfolio: Series, benchmark: Series): (number | null)[] {
  const n = Math.min(portfolio.length, benchmark.length);
  const out = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const p = portfolio[i];
    const b = benchmark[i];
    out[i] = isPresent(p) && isPresent(b) ? p - b : null;
  }
  return out;
}

/** Tracking error = sample std (n − 1) of daily active returns × √252. Needs ≥ 2 days. */
export function trackingError(active: Series): Maybe<number> {
  const sd = sampleStdDev(active, 2);
  return sd.value === null ? sd : ok(sd.value * SQRT_TRADING_DAYS);
}

/** Information ratio = 252 × mean daily active return / tracking error. */
export function informationRatio(active: Series): Maybe<number> {
  const te = trackingError(active);
  if (te.value === null) return te;
  if (!(te.value > 1e-15)) return unavailable('active returns have no volatility (tracking error is 0)');
  const m = mean(active);
  return m.value === null ? m : ok((TRADING_DAYS_PER_YEAR * m.value) / te.value);
}

export interface BetaAlpha {
  readonly beta: number;
  /** Daily OLS intercept × 252. */
  readonly alphaAnnualized: number;
  readonly observations: number;
}

/** Beta and alpha of the portfolio on the benchmark by daily OLS; alpha annualised × 252. */
export function betaAlpha(portfolio: Series, benchmark: Series, minObservations: number): Maybe<BetaAlpha> {
  const fit = linearRegression(portfolio, benchmark, minObservations);
  if (fit.value === null) return fit;
  return ok({ beta: fit.value.beta, alphaAnnualized: fit.value.alpha * TRADING_DAYS_PER_YEAR, observations: fit.value.observations });
}

/**
 * Up (down) capture = (Π(1 + r_p) − 1) / (Π(1 + r_b) − 1) over the days the
 * benchmark rose (fell). Null with a reason when it never did.
 */
export function captureRatio(portfolio: Series, benchmark: Series, side: 'up' | 'down'): Maybe<number> {
  let gp = 1;
  let gb = 1;
  let n = 0;
  const len = Math.min(portfolio.length, benchmark.length);
  for (let i = 0; i < len; i++) {
    const p = portfolio[i];
    const b = benchmark[i];
    if (!isPresent(p) || !isPresent(b)) continue;
    if (side === 'up' ? b > 0 : b < 0) {
      gp *= 1 + p;
      gb *= 1 + b;
      n++;
    }
  }
  if (n === 0) return unavailable(`the benchmark never ${side === 'up' ? 'rose' : 'fell'} in the range`);
  if (gb === 1) return unavailable('the benchmark return over those days is 0');
  return ok((gp - 1) / (gb - 1));
}

/** Excess return = TWR − benchmark return (arithmetic). */
export function excessReturn(twr: number, benchmarkReturn: number): number {
  return twr - benchmarkReturn;
}
