import { Maybe, Series, isPresent, ok, unavailable } from './maybe';

/**
 * Daily simple returns r[i] = close[i+1] / close[i] − 1, one shorter than the
 * closes. A return is null when either close is missing or the earlier close
 * is not positive (a return on a zero or negative price has no meaning).
 */
export function simpleReturns(closes: Series): (number | null)[] {
  const n = closes.length;
  const out: (number | null)[] = new Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) {
    const prev = closes[i - 1];
    const cur = closes[i];
    out[i - 1] = isPresent(prev) && isPresent(cur) && prev > 0 ? cur / prev - 1 : null;
  }
  return out;
}

/** Compounded return Π(1 + r) − 1 over the present observations. */
export function cumulativeReturn(returns: Series): Maybe<number> {
  let growth = 1;
  let n = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (!isPresent(r)) continue;
    growth *= 1 + r;
    n++;
  }
  if (n === 0) return unavailable('insufficient data: no returns');
  return ok(growth - 1);
}
