import type { CalendarDate } from '../common/branded';
import type { CorporateAction } from '../ledger/ledger.types';

/**
 * Split-adjusted closes and total returns. Pure: closes are as traded
 * (unadjusted), actions come from the corporate-action store.
 */

/** Aligned closes: `closes.get(symbol)[i]` is the close on `dates[i]`, NaN where unknown. */
export interface PriceMatrix {
  dates: CalendarDate[];
  closes: Map<string, Float64Array>;
}

/**
 * Each close divided by the product of the ratios of the splits with ex-date
 * after its date and on or before the window's last date, so the last close
 * stays as traded and a split inside the window leaves no jump. Splits outside
 * (dates[0], last] change nothing. NaN stays NaN.
 */
export function adjustCloses(closes: ArrayLike<number>, dates: readonly CalendarDate[], actions: readonly CorporateAction[]): Float64Array {
  const out = Float64Array.from(closes);
  const n = dates.length;
  if (n === 0) return out;
  const splits = actions
    .filter((a) => a.type === 'SPLIT' && a.ratio !== null && a.ratio > 0 && a.exDate > dates[0] && a.exDate <= dates[n - 1])
    .sort((a, b) => (a.exDate < b.exDate ? -1 : a.exDate > b.exDate ? 1 : 0));
  if (!splits.length) return out;
  // Walk back from the last close, multiplying in each split as its ex-date is passed.
  let factor = 1;
  let k = splits.length - 1;
  for (let i = n - 1; i >= 0; i--) {
    while (k >= 0 && splits[k].exDate > dates[i]) factor *= splits[k--].ratio as number;
    out[i] = out[i] / factor;
  }
  return out;
}

/** A matrix with every symbol's closes split-adjusted (see adjustCloses); symbols without a split in the window keep their array. */
export function adjustForSplits(matrix: PriceMatrix, actionsBySymbol: ReadonlyMap<string, readonly CorporateAction[]>): PriceMatrix {
  const closes = new Map<string, Float64Array>();
  const { dates } = matrix;
  for (const [symbol, series] of matrix.closes) {
    const actions = actionsBySymbol.get(symbol) ?? [];
    const hasSplit = dates.length > 0 && actions.some((a) => a.type === 'SPLIT' && a.exDate > dates[0] && a.exDate <= dates[dates.length - 1]);
    closes.set(symbol, hasSplit ? adjustCloses(series, dates, actions) : series);
  }
  return { dates, closes };
}
