import { Maybe, Series, insufficient, isNoiseVariance, isPresent, ok, unavailable } from './maybe';

/** Result of a simple OLS regression y = alpha + beta·x + ε. */
export interface LinearFit {
  /** Slope: cov(x, y) / var(x). */
  readonly beta: number;
  /** Intercept, in the units of y per observation (a daily return for daily series). */
  readonly alpha: number;
  /** Coefficient of determination, 0…1 (0 when y is constant, as scipy.stats.linregress). */
  readonly rSquared: number;
  /** Pairs used: days where both x and y are present. */
  readonly observations: number;
}

export const DEFAULT_MIN_REGRESSION_OBSERVATIONS = 30;

/**
 * OLS slope of y on x over the days where both are present (pairwise
 * complete). Both series must be aligned (same length, same days).
 * Null with a reason when fewer than `minObservations` pairs exist or x has
 * no variance.
 */
export function linearRegression(
  y: Series,
  x: Series,
  minObservations = DEFAULT_MIN_REGRESSION_OBSERVATIONS,
): Maybe<LinearFit> {
  if (y.length !== x.length) {
    return unavailable(`series are not aligned: ${y.length} vs ${x.length} values`);
  }
  const need = Math.max(2, minObservations);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < y.length; i++) {
    const xi = x[i];
    const yi = y[i];
    if (!isPresent(xi) || !isPresent(yi)) continue;
    sx += xi;
    sy += yi;
    n++;
  }
  if (n < need) return insufficient(n, need);
  return fitCentered(y, x, n, sx / n, sy / n);
}

function fitCentered(y: Series, x: Series, n: number, mx: number, my: number): Maybe<LinearFit> {
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < y.length; i++) {
    const xi = x[i];
    const yi = y[i];
    if (!isPresent(xi) || !isPresent(yi)) continue;
    const dx = xi - mx;
    const dy = yi - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (isNoiseVariance(sxx, n, mx)) return unavailable('no variance in the explanatory series');
  const beta = sxy / sxx;
  const rSquared = isNoiseVariance(syy, n, my) ? 0 : Math.min(1, (sxy * sxy) / (sxx * syy));
  return ok({ beta, alpha: my - beta * mx, rSquared, observations: n });
}
