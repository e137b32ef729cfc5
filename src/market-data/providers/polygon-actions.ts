import { asCalendarDate, CalendarDate, isCalendarDate } from '../../common/branded';
import type { CorporateAction } from '../../ledger/ledger.types';
import { MarketDataError } from './market-data-provider';

/**
 * Polygon's reference splits (`/v3/reference/splits`) and dividends
 * (`/v3/reference/dividends`) as corporate actions. Pure: one page of
 * `results` in, actions out; a malformed entry is a MarketDataError.
 */

/** Polygon's dividend types, all paid in cash: regular (CD), special (SC), long/short-term capital gain distributions (LT/ST). */
const CASH_DIVIDEND_TYPES = new Set(['CD', 'SC', 'LT', 'ST']);

const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
const date = (x: unknown): CalendarDate | null => (typeof x === 'string' && isCalendarDate(x) ? asCalendarDate(x) : null);

function resultsOf(symbol: string, results: unknown): Array<Record<string, unknown>> {
  if (results === undefined || results === null) return [];
  if (!Array.isArray(results)) throw new MarketDataError(symbol, `${symbol}: Polygon results is not an array`);
  return results as Array<Record<string, unknown>>;
}

/** Splits: ratio = split_to / split_from (new shares per old share), ex-date = execution_date. */
export function polygonSplits(symbol: string, results: unknown): CorporateAction[] {
  return resultsOf(symbol, results).map((raw) => {
    const exDate = date(raw?.execution_date);
    if (!exDate || !positive(raw?.split_from) || !positive(raw?.split_to)) {
      throw new MarketDataError(symbol, `${symbol}: Polygon returned a split without a valid execution_date/split_from/split_to: ${JSON.stringify(raw)}`);
    }
    return { symbol, type: 'SPLIT', exDate, payDate: null, ratio: raw.split_to / raw.split_from, amount: null };
  });
}

/**
 * Cash dividends in US dollars (another currency, or a type that is not paid
 * in cash, is left out). A pay date before the ex-date is treated as unknown.
 */
export function polygonDividends(symbol: string, results: unknown): CorporateAction[] {
  const out: CorporateAction[] = [];
  for (const raw of resultsOf(symbol, results)) {
    const exDate = date(raw?.ex_dividend_date);
    if (!exDate || !positive(raw?.cash_amount)) {
      throw new MarketDataError(symbol, `${symbol}: Polygon returned a dividend without a valid ex_dividend_date/cash_amount: ${JSON.stringify(raw)}`);
    }
    const type = typeof raw.dividend_type === 'string' ? raw.dividend_type : 'CD';
    const currency = typeof raw.currency === 'string' ? raw.currency.toUpperCase() : 'USD';
    if (!CASH_DIVIDEND_TYPES.has(type) || currency !== 'USD') continue;
    const payDate = date(raw.pay_date);
    out.push({ symbol, type: 'CASH_DIVIDEND', exDate, payDate: payDate && payDate >= exDate ? payDate : null, ratio: null, amount: raw.cash_amount });
  }
  return out;
}

/**
 * One action per (type, ex-date), ascending. The same entry listed twice
 * counts once (a repeated split on a day keeps the first); different
 * dividends on one ex-date (e.g. regular + special) are summed.
 */
export function mergeSameDay(actions: readonly CorporateAction[]): CorporateAction[] {
  const byKey = new Map<string, CorporateAction>();
  const seenAmounts = new Map<string, Set<number>>();
  for (const a of actions) {
    const key = `${a.type}|${a.exDate}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, a);
      seenAmounts.set(key, new Set([a.amount ?? 0]));
    } else if (a.type === 'CASH_DIVIDEND' && !seenAmounts.get(key)!.has(a.amount as number)) {
      seenAmounts.get(key)!.add(a.amount as number);
      byKey.set(key, { ...seen, amount: (seen.amount as number) + (a.amount as number), payDate: seen.payDate ?? a.payDate });
    }
  }
  return [...byKey.values()].sort((a, b) => (a.exDate < b.exDate ? -1 : a.exDate > b.exDate ? 1 : a.type < b.type ? -1 : 1));
}
