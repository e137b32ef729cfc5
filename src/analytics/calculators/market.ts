import { CalendarDate } from '../../common/branded';
import { isPresent } from '../math';

/**
 * Closing prices aligned on one ordered list of trading dates: for every
 * symbol an array as long as `dates`, null (or NaN) where the close is missing.
 */
export interface PriceMatrix {
  readonly dates: readonly CalendarDate[];
  readonly closes: ReadonlyMap<string, ArrayLike<number | null>>;
}

/**
 * A price matrix with its daily returns computed lazily and cached per
 * symbol (and per factor spread). Build it once per batch date range and pass
 * the same instance to every `calculateRisk` call, so returns of shared
 * symbols and factor ETFs are computed once, not once per portfolio.
 *
 * Return arrays are Float64Arrays aligned with `dates`: r[i] = close[i] /
 * close[i−1] − 1, NaN at i = 0 and wherever a close is missing (the math
 * functions treat NaN as "no observation").
 */
export class MarketSeries {
  readonly kind = 'market-series' as const;
  private readonly returnCache = new Map<string, Float64Array | null>();
  private readonly memoTables = new Map<string, Map<string, unknown>>();

  constructor(
    readonly dates: readonly CalendarDate[],
    private readonly closes: ReadonlyMap<string, ArrayLike<number | null>>,
  ) {
    for (const [symbol, series] of closes) {
      if (series.length !== dates.length) {
        throw new RangeError(`price matrix: ${symbol} has ${series.length} closes for ${dates.length} dates`);
      }
    }
  }

  has(symbol: string): boolean {
    return this.closes.has(symbol);
  }

  /** Index of the last date ≤ `date` (dates ascending), or −1. */
  indexOnOrBefore(date: CalendarDate): number {
    let lo = 0;
    let hi = this.dates.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.dates[mid] <= date) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Close of `symbol` at date index `i`, or null. */
  close(symbol: string, i: number): number | null {
    const v = this.closes.get(symbol)?.[i];
    return isPresent(v) ? v : null;
  }

  /** Daily returns of `symbol` aligned with `dates`, or null if the symbol is absent. */
  returns(symbol: string): Float64Array | null {
    const hit = this.returnCache.get(symbol);
    if (hit !== undefined) return hit;
    const c = this.closes.get(symbol);
    const out = c ? returnsOf(c) : null;
    this.returnCache.set(symbol, out);
    return out;
  }

  /**
   * A per-symbol table of values derived from the market alone (the same for
   * every portfolio, e.g. a symbol's beta or its normalised return window),
   * one table per `group` (which names the calculation and its parameters),
   * kept for the life of this instance. Callers must treat values as immutable.
   */
  memoTable<T>(group: string): Map<string, T> {
    let table = this.memoTables.get(group);
    if (!table) {
      table = new Map<string, T>();
      this.memoTables.set(group, table);
    }
    return table as Map<string, T>;
  }

  /** Returns of `a` minus returns of `b` (a long–short factor), cached. */
  spread(a: string, b: string): Float64Array | null {
    const key = `${a}\u0000-\u0000${b}`;
    const hit = this.returnCache.get(key);
    if (hit !== undefined) return hit;
    const ra = this.returns(a);
    const rb = this.returns(b);
    let out: Float64Array | null = null;
    if (ra && rb) {
      out = new Float64Array(ra.length);
      for (let i = 0; i < ra.length; i++) out[i] = ra[i] - rb[i];
    }
    this.returnCache.set(key, out);
    return out;
  }
}

const GAP = 0 / 0; // NaN without a global lookup in the loop

function returnsOf(c: ArrayLike<number | null>): Float64Array {
  const out = new Float64Array(c.length);
  if (c.length > 0) out[0] = GAP;
  for (let i = 1; i < c.length; i++) {
    const prev = c[i - 1];
    const cur = c[i];
    out[i] = isPresent(prev) && isPresent(cur) && prev > 0 ? cur / prev - 1 : GAP;
  }
  return out;
}

/** Wraps a price matrix for repeated risk calculations (throws on misaligned arrays). */
export function buildMarketSeries(prices: PriceMatrix): MarketSeries {
  return new MarketSeries(prices.dates, prices.closes);
}

/**
 * The last `length` entries of a date-aligned array ending at index `end`
 * (inclusive), as a view; shorter when the array starts later.
 */
export function windowEnding(values: Float64Array, end: number, length: number): Float64Array {
  return values.subarray(Math.max(0, end - length + 1), end + 1);
}
