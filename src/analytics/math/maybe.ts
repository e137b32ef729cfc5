/**
 * The one result shape for every calculation that can lack data: either a
 * finite value, or `value: null` with a human-readable reason. Functions in
 * this folder never return NaN or Infinity.
 */
export type Maybe<T> =
  | { readonly value: T; readonly reason?: undefined }
  | { readonly value: null; readonly reason: string };

/**
 * A numeric series as accepted by the math functions. `null`, `undefined`
 * and non-finite numbers (NaN, which typed arrays use for a gap) all mean
 * "no observation on this day" and are skipped.
 */
export type Series = ArrayLike<number | null>;

export function ok<T>(value: T): Maybe<T> {
  return { value };
}

export function unavailable<T>(reason: string): Maybe<T> {
  return { value: null, reason };
}

/** `insufficient data: 12 observations, need 30`. */
export function insufficient<T>(have: number, need: number, what = 'observations'): Maybe<T> {
  return unavailable(`insufficient data: ${have} ${what}, need ${need}`);
}

/**
 * True for a usable observation (a finite number). Written without global
 * lookups (`Number.isFinite`) because it runs in every inner loop and globals
 * are slow inside vm sandboxes such as Jest's (≈100× here).
 */
export function isPresent(v: number | null | undefined): v is number {
  return typeof v === 'number' && v - v === 0;
}

/**
 * True when a sum of squared deviations is only rounding noise, i.e. the
 * series is constant. `n` observations around `mean`.
 */
export function isNoiseVariance(sumSquares: number, n: number, mean: number): boolean {
  const scale = 1e-13 * Math.max(Math.abs(mean), 1e-300);
  return !(sumSquares > n * scale * scale);
}

/** The last `window` entries of a series as a view (no copy for typed arrays). */
export function tail(values: Series, window: number): Series {
  const start = Math.max(0, values.length - Math.max(0, Math.floor(window)));
  if (start === 0) return values;
  if (ArrayBuffer.isView(values)) return (values as unknown as Float64Array).subarray(start);
  return Array.prototype.slice.call(values, start) as (number | null)[];
}
