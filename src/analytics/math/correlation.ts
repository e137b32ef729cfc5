import { Maybe, Series, insufficient, isNoiseVariance, isPresent, ok, unavailable } from './maybe';

export const DEFAULT_MIN_OVERLAP = 30;

/**
 * Pearson correlation over the days where both series are present. Null with
 * a reason below `minOverlap` shared days or when either side is constant.
 */
export function pearsonCorrelation(a: Series, b: Series, minOverlap = DEFAULT_MIN_OVERLAP): Maybe<number> {
  if (a.length !== b.length) return unavailable(`series are not aligned: ${a.length} vs ${b.length} values`);
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!isPresent(x) || !isPresent(y)) continue;
    sa += x;
    sb += y;
    n++;
  }
  const need = Math.max(2, minOverlap);
  if (n < need) return insufficient(n, need, 'overlapping observations');
  const ma = sa / n;
  const mb = sb / n;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!isPresent(x) || !isPresent(y)) continue;
    saa += (x - ma) * (x - ma);
    sbb += (y - mb) * (y - mb);
    sab += (x - ma) * (y - mb);
  }
  if (isNoiseVariance(saa, n, ma) || isNoiseVariance(sbb, n, mb)) return unavailable('a series has no variance');
  return ok(Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb))));
}

/**
 * Symmetric correlation matrix with a unit diagonal (by convention, even for
 * a series with too little data). Off-diagonal entries are null when the pair
 * shares fewer than `minOverlap` present days or a side is constant there.
 * Series may hold null/NaN for missing days; all must have the same length.
 */
export function correlationMatrix(
  series: readonly Series[],
  minOverlap = DEFAULT_MIN_OVERLAP,
  precomputed?: readonly (Float64Array | null | undefined)[],
): (number | null)[][] {
  const k = series.length;
  const m: (number | null)[][] = [];
  for (let i = 0; i < k; i++) m.push(new Array<number | null>(k).fill(null));
  // Fast path: a gap-free, non-constant series is normalised once, so a pair
  // of such series costs one dot product instead of two passes. `precomputed[i]`
  // (when not undefined) is `unitSeries(series[i], minOverlap)` done by the caller,
  // e.g. shared by every portfolio holding the same symbol.
  const unit = series.map((s, i) => (precomputed?.[i] !== undefined ? precomputed[i]! : unitSeries(s, minOverlap)));
  for (let i = 0; i < k; i++) {
    m[i][i] = 1;
    for (let j = i + 1; j < k; j++) {
      const a = unit[i];
      const b = unit[j];
      const c = a && b && a.length === b.length ? clampedDot(a, b) : pearsonCorrelation(series[i], series[j], minOverlap).value;
      m[i][j] = c;
      m[j][i] = c;
    }
  }
  return m;
}

/**
 * The normalised form correlationMatrix uses for its fast path: (x − mean) /
 * ‖x − mean‖ when x is long enough, has no gaps and some variance, else null.
 */
export function unitSeries(x: Series, minOverlap = DEFAULT_MIN_OVERLAP): Float64Array | null {
  return x.length >= Math.max(2, minOverlap) ? normalised(x) : null;
}

/** (x − mean) / ‖x − mean‖ when x has no gaps and some variance, else null. */
function normalised(x: Series): Float64Array | null {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!isPresent(v)) return null;
    sum += v;
  }
  const mean = sum / n;
  const out = new Float64Array(n);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    out[i] = d;
    ss += d * d;
  }
  if (isNoiseVariance(ss, n, mean)) return null;
  const norm = Math.sqrt(ss);
  for (let i = 0; i < n; i++) out[i] /= norm;
  return out;
}

function clampedDot(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot > 1 ? 1 : dot < -1 ? -1 : dot;
}
