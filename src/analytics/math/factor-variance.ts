import { Maybe, insufficient, isPresent, ok, unavailable } from './maybe';

/*
 * Systematic vs idiosyncratic variance under a linear factor model: the
 * factor-model side of the risk decomposition (decomposition.ts has the
 * Euler contributions of positions).
 */

export interface FactorVarianceSplit {
  readonly observations: number;
  /** Sample variance (n − 1) of the portfolio returns on the fit's rows. */
  readonly totalVariance: number;
  /** b'Σ_f b: the variance the factors explain. */
  readonly systematicVariance: number;
  /** total − systematic (the residual variance), ≥ 0. */
  readonly idiosyncraticVariance: number;
  readonly systematicShare: number;
  readonly idiosyncraticShare: number;
  /** Euler split of the systematic variance over the factors: b_j (Σ_f b)_j / total variance (sums to the systematic share). */
  readonly factorShares: Float64Array;
}

/**
 * Systematic vs idiosyncratic variance of y under the linear factor model
 * y = a + Σ b_j f_j + ε with the given betas: systematic = b'Σ_f b with Σ_f
 * the sample covariance of the factors over the rows where y and every factor
 * are present. For in-sample OLS betas the systematic share equals R².
 */
export function factorVarianceSplit(
  y: ArrayLike<number>, factors: readonly ArrayLike<number>[], betas: readonly number[], minObservations = 2,
): Maybe<FactorVarianceSplit> {
  const rows = completeRows(y, factors);
  const need = Math.max(2, minObservations);
  if (rows.length < need) return insufficient(rows.length, need);
  return varianceSplitWith(y, rows, factorCovariance(factors, rows), betas);
}

/** Rows (indices) where y and every factor are present. */
export function completeRows(y: ArrayLike<number>, factors: readonly ArrayLike<number>[]): Int32Array {
  const rows: number[] = [];
  for (let t = 0; t < y.length; t++) {
    let all = isPresent(y[t]);
    for (let j = 0; j < factors.length && all; j++) all = isPresent(factors[j][t]);
    if (all) rows.push(t);
  }
  return Int32Array.from(rows);
}

/** Sample covariance (n − 1) of the factors over `rows`, k×k row-major: the same for every portfolio on the same rows. */
export function factorCovariance(factors: readonly ArrayLike<number>[], rows: ArrayLike<number>): Float64Array {
  const k = factors.length;
  const n = rows.length;
  const centred = factors.map((f) => centredOn(f, rows));
  const cov = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    for (let l = j; l < k; l++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += centred[j][r] * centred[l][r];
      cov[j * k + l] = cov[l * k + j] = s / (n - 1);
    }
  }
  return cov;
}

/** The split of y's variance over `rows` given the factors' covariance on those rows. */
export function varianceSplitWith(
  y: ArrayLike<number>, rows: ArrayLike<number>, cov: Float64Array, betas: readonly number[],
): Maybe<FactorVarianceSplit> {
  const k = betas.length;
  if (cov.length !== k * k) return unavailable('one beta per factor needed');
  const n = rows.length;
  const yc = centredOn(y, rows);
  let ss = 0;
  for (let r = 0; r < n; r++) ss += yc[r] * yc[r];
  const totalVariance = ss / (n - 1);
  if (!(totalVariance > 0)) return unavailable('the portfolio returns have no variance');
  const factorShares = new Float64Array(k);
  let systematicVariance = 0;
  for (let j = 0; j < k; j++) {
    let sb = 0; // (Σ_f b)_j
    for (let l = 0; l < k; l++) sb += cov[j * k + l] * betas[l];
    factorShares[j] = (betas[j] * sb) / totalVariance;
    systematicVariance += betas[j] * sb;
  }
  systematicVariance = Math.max(0, systematicVariance);
  const idiosyncraticVariance = Math.max(0, totalVariance - systematicVariance);
  return ok({
    observations: n,
    totalVariance,
    systematicVariance,
    idiosyncraticVariance,
    systematicShare: systematicVariance / totalVariance,
    idiosyncraticShare: idiosyncraticVariance / totalVariance,
    factorShares,
  });
}

function centredOn(s: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  const n = rows.length;
  let m = 0;
  for (let r = 0; r < n; r++) m += s[rows[r]];
  m /= n;
  const c = new Float64Array(n);
  for (let r = 0; r < n; r++) c[r] = s[rows[r]] - m;
  return c;
}
