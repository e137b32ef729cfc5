import { Maybe, Series, insufficient, isPresent, ok, tail } from './maybe';

export const TRADING_DAYS_PER_YEAR = 252;
export const SQRT_TRADING_DAYS = Math.sqrt(TRADING_DAYS_PER_YEAR);

/** Arithmetic mean of the present observations. */
export function mean(values: Series): Maybe<number> {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isPresent(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? insufficient(0, 1) : ok(sum / n);
}

/** Sample standard deviation (n − 1 denominator), two-pass for accuracy. */
export function sampleStdDev(values: Series, minObservations = 2): Maybe<number> {
  const need = Math.max(2, minObservations);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isPresent(v)) continue;
    sum += v;
    n++;
  }
  if (n < need) return insufficient(n, need);
  const m = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isPresent(v)) continue;
    const d = v - m;
    ss += d * d;
  }
  return ok(Math.sqrt(ss / (n - 1)));
}

/**
 * Annualised volatility: sample std (n − 1) of the last `window` daily
 * returns × √252. Gaps inside the window are skipped; at least
 * `minObservations` (default: the whole window) must be present.
 */
export function annualizedVolatility(
  returns: Series,
  window: number,
  minObservations: number = window,
): Maybe<number> {
  const sd = sampleStdDev(tail(returns, window), minObservations);
  return sd.value === null ? sd : ok(sd.value * SQRT_TRADING_DAYS);
}
