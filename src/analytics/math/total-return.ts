import { Series, isPresent } from './maybe';

/** A split or cash dividend of the benchmark, as stored (DESIGN §8). */
export interface PriceAction {
  readonly type: 'SPLIT' | 'CASH_DIVIDEND';
  readonly exDate: string;
  /** SPLIT: new shares per old share. */
  readonly ratio: number | null;
  /** CASH_DIVIDEND: cash per share held at the previous close. */
  readonly amount: number | null;
}

/**
 * Daily total returns from closes stored as traded (unadjusted): between
 * consecutive `dates` (ISO, ascending), a split with its ex-date in the
 * interval multiplies the shares held, a cash dividend adds its amount per
 * share held before that ex-date. r_i = (close_{i+1}·shares + cash) /
 * close_i − 1 for one share held at close_i. `result[i]` is the return from
 * dates[i] to dates[i + 1] (one shorter than the dates); null where either
 * close is missing or not positive (never 0).
 */
export function totalReturns(dates: readonly string[], closes: Series, actions: readonly PriceAction[]): (number | null)[] {
  // dividends before splits on the same ex-date: the dividend is per share held at the previous close
  const sorted = [...actions].sort((a, b) => (a.exDate === b.exDate ? (a.type === 'CASH_DIVIDEND' ? -1 : 1) : a.exDate < b.exDate ? -1 : 1));
  const out = new Array<number | null>(Math.max(0, dates.length - 1));
  let k = 0;
  for (let i = 0; i + 1 < dates.length; i++) {
    while (k < sorted.length && sorted[k].exDate <= dates[i]) k++;
    let shares = 1;
    let cash = 0;
    for (let j = k; j < sorted.length && sorted[j].exDate <= dates[i + 1]; j++) {
      const a = sorted[j];
      if (a.type === 'SPLIT' && isPresent(a.ratio) && a.ratio > 0) shares *= a.ratio;
      else if (a.type === 'CASH_DIVIDEND' && isPresent(a.amount)) cash += a.amount * shares;
    }
    const c0 = closes[i];
    const c1 = closes[i + 1];
    out[i] = isPresent(c0) && isPresent(c1) && c0 > 0 ? (c1 * shares + cash) / c0 - 1 : null;
  }
  return out;
}
