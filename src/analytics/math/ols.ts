import { Maybe, Series, insufficient, isNoiseVariance, isPresent, ok, unavailable } from './maybe';

/** Result of a multivariate OLS fit y = intercept + Σ b_j·x_j + ε. */
export interface MultipleFit {
  readonly intercept: number;
  /** One coefficient per regressor, in the order given. */
  readonly coefficients: number[];
  /** 1 − SSR/SST (0 when y is constant). */
  readonly rSquared: number;
  /** Rows used: days where y and every regressor are present. */
  readonly observations: number;
}

/**
 * Column-norm threshold below which a (centred, unit-scaled) regressor counts
 * as a linear combination of the ones before it.
 */
const COLLINEAR_TOLERANCE = 1e-9;

/**
 * Multivariate OLS with an intercept, by Householder QR on the centred and
 * column-scaled design (no normal equations, so ill-conditioned data such as
 * NIST's Longley set keeps ~9+ significant digits). Rows where any value is
 * missing are dropped (listwise). Never throws: too few rows, a constant
 * regressor or collinear regressors give `value: null` with a reason naming
 * the regressor (by `names[j]` when given, else its index).
 */
export function multipleRegression(
  y: Series,
  regressors: readonly Series[],
  minObservations: number,
  names?: readonly string[],
): Maybe<MultipleFit> {
  const k = regressors.length;
  if (k === 0) return unavailable('no regressors');
  for (const x of regressors) {
    if (x.length !== y.length) return unavailable(`series are not aligned: ${x.length} vs ${y.length} values`);
  }
  const rows = completeRows(y, regressors);
  const need = Math.max(minObservations, k + 2);
  if (rows.length < need) return insufficient(rows.length, need);
  const label = (j: number): string => (names && names[j]) || `#${j}`;
  const design = centredDesign(y, regressors, rows);
  for (let j = 0; j < k; j++) {
    if (!(design.scale[j] > 0)) return unavailable(`regressor ${label(j)} has no variance`);
  }
  return solveQr(design, k, rows.length, label);
}

/** Indices of the rows where y and every regressor are present. */
function completeRows(y: Series, regressors: readonly Series[]): Int32Array {
  const idx = new Int32Array(y.length);
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!isPresent(y[i])) continue;
    let all = true;
    for (let j = 0; j < regressors.length && all; j++) all = isPresent(regressors[j][i]);
    if (all) idx[n++] = i;
  }
  return idx.subarray(0, n);
}

interface Design {
  /** Column-major n×k, centred, each column divided by its norm. */
  a: Float64Array;
  /** Centred y. */
  yc: Float64Array;
  means: Float64Array;
  scale: Float64Array;
  meanY: number;
  sst: number;
}

function centredDesign(y: Series, regressors: readonly Series[], rows: Int32Array): Design {
  const n = rows.length;
  const k = regressors.length;
  const a = new Float64Array(n * k);
  const means = new Float64Array(k);
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const x = regressors[j];
    let s = 0;
    for (let r = 0; r < n; r++) s += x[rows[r]] as number;
    const m = s / n;
    let ss = 0;
    for (let r = 0; r < n; r++) {
      const d = (x[rows[r]] as number) - m;
      a[j * n + r] = d;
      ss += d * d;
    }
    means[j] = m;
    scale[j] = isNoiseVariance(ss, n, m) ? 0 : Math.sqrt(ss);
    if (scale[j] > 0) for (let r = 0; r < n; r++) a[j * n + r] /= scale[j];
  }
  const { yc, meanY, sst } = centre(y, rows);
  return { a, yc, means, scale, meanY, sst };
}

function centre(y: Series, rows: Int32Array): { yc: Float64Array; meanY: number; sst: number } {
  const n = rows.length;
  const yc = new Float64Array(n);
  let s = 0;
  for (let r = 0; r < n; r++) s += y[rows[r]] as number;
  const meanY = s / n;
  let sst = 0;
  for (let r = 0; r < n; r++) {
    const d = (y[rows[r]] as number) - meanY;
    yc[r] = d;
    sst += d * d;
  }
  return { yc, meanY, sst: isNoiseVariance(sst, n, meanY) ? 0 : sst };
}

function solveQr(d: Design, k: number, n: number, label: (j: number) => string): Maybe<MultipleFit> {
  const rdiag = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const r = householderStep(d.a, d.yc, n, k, j);
    if (Math.abs(r) < COLLINEAR_TOLERANCE) {
      return unavailable(`regressors are collinear: ${label(j)} is a linear combination of the others`);
    }
    rdiag[j] = r;
  }
  const coefficients = new Array<number>(k);
  for (let j = k - 1; j >= 0; j--) {
    let s = d.yc[j];
    for (let c = j + 1; c < k; c++) s -= d.a[c * n + j] * coefficients[c];
    coefficients[j] = s / rdiag[j];
  }
  let ssr = 0;
  for (let r = k; r < n; r++) ssr += d.yc[r] * d.yc[r];
  let intercept = d.meanY;
  for (let j = 0; j < k; j++) {
    coefficients[j] /= d.scale[j];
    intercept -= coefficients[j] * d.means[j];
  }
  const rSquared = d.sst > 0 ? Math.min(1, Math.max(0, 1 - ssr / d.sst)) : 0;
  return ok({ intercept, coefficients, rSquared, observations: n });
}

/**
 * Householder reflection zeroing column j below the diagonal; applied to the
 * later columns and to y. Returns R[j][j].
 */
function householderStep(a: Float64Array, y: Float64Array, n: number, k: number, j: number): number {
  const off = j * n;
  let norm2 = 0;
  for (let r = j; r < n; r++) norm2 += a[off + r] * a[off + r];
  const norm = Math.sqrt(norm2);
  if (norm < COLLINEAR_TOLERANCE) return norm;
  const alpha = a[off + j] > 0 ? -norm : norm;
  a[off + j] -= alpha; // column j now holds the Householder vector v
  const vv = vectorNorm2(a, off, j, n);
  for (let c = j + 1; c < k; c++) reflect(a, c * n, a, off, j, n, vv);
  reflect(y, 0, a, off, j, n, vv);
  return alpha;
}

function vectorNorm2(a: Float64Array, off: number, from: number, n: number): number {
  let s = 0;
  for (let r = from; r < n; r++) s += a[off + r] * a[off + r];
  return s;
}

/** target[from..n) −= 2·(v·target)/(v·v) · v. */
function reflect(target: Float64Array, tOff: number, v: Float64Array, vOff: number, from: number, n: number, vv: number): void {
  let dot = 0;
  for (let r = from; r < n; r++) dot += v[vOff + r] * target[tOff + r];
  const f = (2 * dot) / vv;
  for (let r = from; r < n; r++) target[tOff + r] -= f * v[vOff + r];
}
