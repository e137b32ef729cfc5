import { Maybe, insufficient, isPresent, ok, unavailable } from './maybe';

/**
 * Euler risk decomposition. A risk measure ρ that is homogeneous of degree
 * one in the positions (volatility, VaR) splits exactly into per-position
 * parts ρ = Σ x_i ∂ρ/∂x_i (Euler's theorem); x_i ∂ρ/∂x_i is position i's
 * component contribution and ∂ρ/∂x_i its marginal contribution.
 *
 * Everything here works on a P&L matrix: one row per position, one column per
 * scenario (day), p[i][t] = position i's P&L on day t. Rows must be complete
 * (no gaps) and of equal length; the portfolio P&L is P_t = Σ_i p[i][t].
 */
export interface EulerAllocation {
  /** The portfolio's risk, same units as the P&L (currency, or a return when rows are weighted returns). */
  readonly total: number;
  /** Component contributions: Σ contributions = total (up to rounding). */
  readonly contributions: Float64Array;
}

export interface VolatilityAllocation extends EulerAllocation {
  /** Scenarios used. */
  readonly observations: number;
}

/**
 * Sample standard deviation (n − 1) of the portfolio P&L and each position's
 * Euler contribution c_i = cov(p_i, P) / σ_P. Linear in positions × days (no
 * covariance matrix): cov(p_i, P) = Σ_t p_i,t (P_t − P̄) / (n − 1), because
 * the deviations of P sum to zero.
 */
export function volatilityContributions(pnl: readonly Float64Array[], minObservations = 2): Maybe<VolatilityAllocation> {
  const n = columns(pnl);
  if (n === null) return unavailable('P&L rows are not aligned');
  const need = Math.max(2, minObservations);
  if (n < need) return insufficient(n, need);
  const total = portfolioPnl(pnl, n);
  let mean = 0;
  for (let t = 0; t < n; t++) mean += total[t];
  mean /= n;
  let ss = 0;
  for (let t = 0; t < n; t++) {
    total[t] -= mean; // now the deviation d_t
    ss += total[t] * total[t];
  }
  if (!(ss > 0)) return unavailable('the portfolio P&L has no variance');
  const variance = ss / (n - 1);
  const sigma = Math.sqrt(variance);
  const contributions = new Float64Array(pnl.length);
  for (let i = 0; i < pnl.length; i++) {
    const row = pnl[i];
    let s = 0;
    for (let t = 0; t < n; t++) s += row[t] * total[t];
    contributions[i] = s / (n - 1) / sigma;
  }
  return ok({ total: sigma, contributions, observations: n });
}

/** A scenario behind an interpolated quantile and its interpolation weight. */
export interface QuantileScenario {
  /** Column index in the P&L matrix. */
  readonly index: number;
  readonly weight: number;
}

export interface VarAllocation extends EulerAllocation {
  readonly observations: number;
  /** The one or two scenarios whose weighted P&L is the quantile (weights sum to 1). */
  readonly scenarios: QuantileScenario[];
}

/**
 * Historical VaR (a positive loss) and its Euler allocation. VaR = −q where q
 * is the (1 − confidence) quantile of the portfolio P&L with numpy's linear
 * interpolation between the order statistics at ranks ⌊h⌋ and ⌊h⌋ + 1,
 * h = (n − 1)(1 − confidence): q = (1 − f)·P_(lo) + f·P_(hi). The quantile is
 * locally linear in the positions through those two scenarios, so
 * component_i = −[(1 − f)·p_i(lo) + f·p_i(hi)] and the parts sum exactly to
 * the VaR. Ties in P are ordered by column index (any order gives the same
 * total; the split between tied scenarios is then a convention).
 */
export function historicalVarContributions(
  pnl: readonly Float64Array[], confidence: number, minObservations = 1,
): Maybe<VarAllocation> {
  if (!(confidence > 0 && confidence < 1)) return unavailable(`confidence must be within (0, 1), got ${confidence}`);
  const n = columns(pnl);
  if (n === null) return unavailable('P&L rows are not aligned');
  const need = Math.max(1, minObservations);
  if (n < need) return insufficient(n, need);
  const scenarios = quantileScenarios(portfolioPnl(pnl, n), 1 - confidence);
  const contributions = new Float64Array(pnl.length);
  let total = 0;
  for (let i = 0; i < pnl.length; i++) {
    let q = 0;
    for (const s of scenarios) q += s.weight * pnl[i][s.index];
    contributions[i] = -q;
    total -= q;
  }
  return ok({ total, contributions, observations: n, scenarios });
}

/**
 * The scenarios and weights of numpy's linear quantile of `values`
 * (all present), ordered by value then index.
 */
export function quantileScenarios(values: Float64Array, q: number): QuantileScenario[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[a] - values[b] || a - b);
  const h = (values.length - 1) * q;
  const lo = Math.floor(h);
  const f = h - lo;
  if (f === 0 || lo + 1 >= values.length) return [{ index: order[lo], weight: 1 }];
  return [{ index: order[lo], weight: 1 - f }, { index: order[lo + 1], weight: f }];
}

/**
 * Delta-normal (parametric) Euler decomposition of σ = √(x'Σx) for positions
 * x and covariance Σ: marginal ∂σ/∂x_i = (Σx)_i / σ, component x_i (Σx)_i / σ.
 * Multiply everything by z (1.645 at 95%) for the delta-normal component VaR.
 */
export function covarianceContributions(
  x: readonly number[], cov: readonly (readonly number[])[],
): Maybe<EulerAllocation & { readonly marginals: Float64Array }> {
  const k = x.length;
  if (cov.length !== k || cov.some((r) => r.length !== k)) return unavailable('covariance matrix does not match the positions');
  const sx = new Float64Array(k);
  let variance = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) sx[i] += cov[i][j] * x[j];
    variance += x[i] * sx[i];
  }
  if (!(variance > 0)) return unavailable('the portfolio has no variance');
  const sigma = Math.sqrt(variance);
  const marginals = sx.map((v) => v / sigma);
  const contributions = marginals.map((m, i) => m * x[i]);
  return ok({ total: sigma, contributions, marginals });
}

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
  const k = factors.length;
  if (betas.length !== k) return unavailable('one beta per factor needed');
  const rows: number[] = [];
  for (let t = 0; t < y.length; t++) {
    if (isPresent(y[t]) && factors.every((f) => isPresent(f[t]))) rows.push(t);
  }
  const n = rows.length;
  const need = Math.max(2, minObservations);
  if (n < need) return insufficient(n, need);
  const centred = [y, ...factors].map((s) => {
    let m = 0;
    for (const t of rows) m += s[t];
    m /= n;
    return Float64Array.from(rows, (t) => s[t] - m);
  });
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let r = 0; r < n; r++) s += a[r] * b[r];
    return s / (n - 1);
  };
  const totalVariance = dot(centred[0], centred[0]);
  if (!(totalVariance > 0)) return unavailable('the portfolio returns have no variance');
  const factorShares = new Float64Array(k);
  let systematicVariance = 0;
  for (let j = 0; j < k; j++) {
    let sb = 0;
    for (let l = 0; l < k; l++) sb += dot(centred[1 + j], centred[1 + l]) * betas[l];
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

function columns(pnl: readonly Float64Array[]): number | null {
  if (pnl.length === 0) return 0;
  const n = pnl[0].length;
  return pnl.every((r) => r.length === n) ? n : null;
}

function portfolioPnl(pnl: readonly Float64Array[], n: number): Float64Array {
  const total = new Float64Array(n);
  for (const row of pnl) for (let t = 0; t < n; t++) total[t] += row[t];
  return total;
}
