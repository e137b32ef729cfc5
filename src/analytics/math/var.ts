import { Maybe, Series, insufficient, isPresent, ok, unavailable } from './maybe';

/**
 * Quantile of ascending-sorted values with linear interpolation between the
 * closest ranks — numpy.percentile/quantile's default `method='linear'`:
 * h = (n − 1)·q, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * `sorted` must be non-empty and `q` within [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Present observations copied into an ascending Float64Array. */
export function sortedPresent(values: Series): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isPresent(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** numpy-style linear quantile of the present observations (q in [0, 1]). */
export function quantile(values: Series, q: number): Maybe<number> {
  if (!(q >= 0 && q <= 1)) return unavailable(`quantile level must be within [0, 1], got ${q}`);
  const sorted = sortedPresent(values);
  if (sorted.length === 0) return insufficient(0, 1);
  return ok(quantileSorted(sorted, q));
}

/** Historical 1-day VaR and CVaR at one confidence level, as positive loss fractions. */
export interface VarEstimate {
  /** −quantile(returns, 1 − confidence). Positive = a loss. */
  readonly var: number;
  /** −mean(returns ≤ that quantile). Always ≥ var. */
  readonly cvar: number;
}

export interface HistoricalVar {
  readonly var95: VarEstimate;
  readonly var99: VarEstimate;
  readonly observations: number;
}

export const DEFAULT_MIN_VAR_OBSERVATIONS = 30;

/**
 * Historical VaR/CVaR at 95% and 99% from daily returns (sorted once). VaR is
 * the loss at the (1 − c) quantile (numpy linear interpolation) and CVaR the
 * mean of the returns at or below that quantile, both sign-flipped so that a
 * loss is positive (a negative figure means even the tail day was a gain).
 */
export function historicalVar(
  returns: Series,
  minObservations = DEFAULT_MIN_VAR_OBSERVATIONS,
): Maybe<HistoricalVar> {
  const sorted = sortedPresent(returns);
  const need = Math.max(1, minObservations);
  if (sorted.length < need) return insufficient(sorted.length, need);
  return ok({
    var95: tailLoss(sorted, 0.95),
    var99: tailLoss(sorted, 0.99),
    observations: sorted.length,
  });
}

/** VaR/CVaR at one confidence level from ascending-sorted returns. */
export function tailLoss(sorted: ArrayLike<number>, confidence: number): VarEstimate {
  const q = quantileSorted(sorted, 1 - confidence);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < sorted.length && sorted[i] <= q; i++) {
    sum += sorted[i];
    n++;
  }
  // n ≥ 1 always: the minimum is ≤ any interpolated quantile.
  return { var: -q, cvar: -(sum / n) };
}
