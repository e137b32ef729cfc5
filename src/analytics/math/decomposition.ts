import { Maybe, insufficient, ok, unavailable } from './maybe';

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
/**
 * Scenario P&L without materialising the matrix: position i's P&L in
 * scenario t is scale[i] × series[i][columns[t]] (e.g. dollar exposure ×
 * the symbol's return on a market day). Every value must be present.
 */
export interface PnlScenarios {
  readonly scale: ArrayLike<number>;
  readonly series: readonly ArrayLike<number>[];
  readonly columns: ArrayLike<number>;
}

/** A P&L matrix (rows = positions) as scenarios. */
export function matrixScenarios(pnl: readonly Float64Array[]): PnlScenarios | null {
  const n = pnl.length ? pnl[0].length : 0;
  if (pnl.some((r) => r.length !== n)) return null;
  return { scale: new Float64Array(pnl.length).fill(1), series: pnl, columns: Int32Array.from({ length: n }, (_, t) => t) };
}

type PnlInput = PnlScenarios | readonly Float64Array[];

function scenariosOf(input: PnlInput): PnlScenarios | null {
  return Array.isArray(input) ? matrixScenarios(input as readonly Float64Array[]) : (input as PnlScenarios);
}

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
export function volatilityContributions(input: PnlInput, minObservations = 2): Maybe<VolatilityAllocation> {
  const sc = scenariosOf(input);
  if (sc === null) return unavailable('P&L rows are not aligned');
  const n = sc.columns.length;
  const need = Math.max(2, minObservations);
  if (n < need) return insufficient(n, need);
  return volatilityOf(sc, portfolioPnl(sc));
}

/** Volatility contributions given the portfolio P&L `total` (overwritten with its deviations). */
function volatilityOf(sc: PnlScenarios, total: Float64Array): Maybe<VolatilityAllocation> {
  const n = total.length;
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
  const k = sc.series.length;
  const contributions = new Float64Array(k);
  const cols = sc.columns;
  const c0 = contiguousFrom(cols);
  for (let i = 0; i < k; i++) {
    const row = sc.series[i];
    let s = 0;
    if (c0 >= 0) for (let t = 0; t < n; t++) s += row[c0 + t] * total[t];
    else for (let t = 0; t < n; t++) s += row[cols[t]] * total[t];
    contributions[i] = (sc.scale[i] * s) / (n - 1) / sigma;
  }
  return ok({ total: sigma, contributions, observations: n });
}

/** Volatility, VaR 95 and VaR 99 contributions from one pass building the portfolio P&L (what the risk record uses). */
export function riskContributions(
  input: PnlInput, minObservations = 2,
): Maybe<{ volatility: VolatilityAllocation; var95: VarAllocation; var99: VarAllocation }> {
  const sc = scenariosOf(input);
  if (sc === null) return unavailable('P&L rows are not aligned');
  const n = sc.columns.length;
  const need = Math.max(2, minObservations);
  if (n < need) return insufficient(n, need);
  const total = portfolioPnl(sc);
  const sorted = Float64Array.from(total).sort();
  const var95 = varAllocation(sc, scenariosAt(total, sorted, 0.05));
  const var99 = varAllocation(sc, scenariosAt(total, sorted, 0.01));
  const volatility = volatilityOf(sc, total);
  if (volatility.value === null) return volatility;
  return ok({ volatility: volatility.value, var95, var99 });
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
export function historicalVarContributions(input: PnlInput, confidence: number, minObservations = 1): Maybe<VarAllocation> {
  if (!(confidence > 0 && confidence < 1)) return unavailable(`confidence must be within (0, 1), got ${confidence}`);
  const sc = scenariosOf(input);
  if (sc === null) return unavailable('P&L rows are not aligned');
  const n = sc.columns.length;
  const need = Math.max(1, minObservations);
  if (n < need) return insufficient(n, need);
  return ok(varAllocation(sc, quantileScenarios(portfolioPnl(sc), 1 - confidence)));
}

function varAllocation(sc: PnlScenarios, scenarios: QuantileScenario[]): VarAllocation {
  const k = sc.series.length;
  const contributions = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) {
    let q = 0;
    for (const s of scenarios) q += s.weight * sc.series[i][sc.columns[s.index]];
    contributions[i] = -(sc.scale[i] * q);
    total += contributions[i];
  }
  return { total, contributions, observations: sc.columns.length, scenarios };
}

/**
 * The scenarios and weights of numpy's linear quantile of `values`
 * (all present), ordered by value then index.
 */
export function quantileScenarios(values: Float64Array, q: number): QuantileScenario[] {
  return scenariosAt(values, Float64Array.from(values).sort(), q); // native numeric sort; indices found by rank
}

function scenariosAt(values: Float64Array, sorted: Float64Array, q: number): QuantileScenario[] {
  const h = (values.length - 1) * q;
  const lo = Math.floor(h);
  const f = h - lo;
  if (f === 0 || lo + 1 >= values.length) return [{ index: indexOfRank(values, sorted, lo), weight: 1 }];
  return [{ index: indexOfRank(values, sorted, lo), weight: 1 - f }, { index: indexOfRank(values, sorted, lo + 1), weight: f }];
}

/** The column holding the value of rank `rank` (0 = smallest), equal values ranked by column index. */
function indexOfRank(values: Float64Array, sorted: Float64Array, rank: number): number {
  const v = sorted[rank];
  let below = rank; // how many equal values rank before it
  while (below > 0 && sorted[below - 1] === v) below--;
  let skip = rank - below;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === v && skip-- === 0) return i;
  }
  return -1; // unreachable: v is one of the values
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

/** P_t = Σ_i scale_i × series_i[columns_t]. */
function portfolioPnl(sc: PnlScenarios): Float64Array {
  const cols = sc.columns;
  const n = cols.length;
  const c0 = contiguousFrom(cols);
  const total = new Float64Array(n);
  for (let i = 0; i < sc.series.length; i++) {
    const e = sc.scale[i];
    const row = sc.series[i];
    if (c0 >= 0) for (let t = 0; t < n; t++) total[t] += e * row[c0 + t];
    else for (let t = 0; t < n; t++) total[t] += e * row[cols[t]];
  }
  return total;
}

/** The first column when the columns are consecutive (the usual window without gaps), else −1: then rows are read directly. */
function contiguousFrom(cols: ArrayLike<number>): number {
  const n = cols.length;
  return n > 0 && cols[n - 1] - cols[0] === n - 1 ? cols[0] : -1;
}
