import { CalendarDate } from '../../common/branded';
import { addDays } from '../../common/dates';
import { isTradingDay, nextTradingDay } from '../calendar/nyse-calendar';
import { isSyntheticEtf } from './synthetic-model';
import { hashString, hashUniform } from './synthetic-random';

/**
 * The synthetic provider's corporate actions, deterministic from (seed, symbol).
 *
 * Splits: about one stock in eight (a hashed subset) splits every 3 to 7 years
 * from 2001 up to SPLIT_HORIZON (ex-date: the first trading day on or after a
 * drawn day), with 2:1, 3:1, 1:5 or 1:10 ratios; the cumulative factor is kept
 * within [1/8, 16] so as-traded prices stay plausible.
 * Never split: the factor ETFs and NEVER_SPLIT (the symbols of the sample book,
 * samples/positions.csv, which is priced from the walk), so the demo's and the
 * tests' prices do not change. The walk is the split-adjusted series: a close
 * as traded is the walk × the product of the ratios of every later split.
 *
 * Dividends: the ETFs and about 45% of stocks pay quarterly at a fixed yield
 * (0.5%–4% a year for stocks) on the close before the ex-date.
 */

/** No synthetic split is scheduled after this day (closes depend on every later split). */
export const SPLIT_HORIZON = '2039-12-31' as CalendarDate;
/** The sample book's stocks: priced from the walk, so they never split. */
export const NEVER_SPLIT: ReadonlySet<string> = new Set([
  'AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'JPM', 'XOM', 'UNH', 'BRK.B', 'TSLA', 'NFLX', 'INTC',
]);

const SPLITTER_SHARE = 0.125;
const PAYER_SHARE = 0.45;
const MAX_FACTOR = 16;
const MIN_FACTOR = 1 / 8;
const ETF_YIELDS: Record<string, number> = {
  SPY: 0.013, VUG: 0.005, VTV: 0.024, MTUM: 0.01, IWM: 0.012, QUAL: 0.013, USMV: 0.016, TLT: 0.035, QQQ: 0.006,
};

export interface SyntheticSplit {
  /**
   * The drawn calendar day; the ex-date is the first trading day on or after it.
   * For a trading day d, "ex-date after d" is "scheduled after d", so prices need no calendar look-up.
   */
  scheduled: string;
  /** New shares per old share. */
  ratio: number;
}

export interface DividendDate {
  exDate: CalendarDate;
  payDate: CalendarDate;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const onOrAfter = (date: string): CalendarDate => (isTradingDay(date as CalendarDate) ? (date as CalendarDate) : nextTradingDay(date as CalendarDate));

const symbolKey = (symbol: string, seed: number): number => hashString(symbol.trim().toUpperCase(), (seed ^ 0xac7105) >>> 0);

/** The symbol's splits, ascending by ex-date ([] for most symbols). `seed` is the provider's folded seed. */
export function syntheticSplits(symbol: string, seed: number): SyntheticSplit[] {
  const key = symbol.trim().toUpperCase();
  if (isSyntheticEtf(key) || NEVER_SPLIT.has(key)) return [];
  const h = symbolKey(key, seed);
  if (hashUniform(h, 1) >= SPLITTER_SHARE) return [];
  const dates: string[] = [];
  const horizonYear = Number(SPLIT_HORIZON.slice(0, 4));
  for (let year = 2001 + Math.floor(4 * hashUniform(h, 2)), k = 0; year <= horizonYear; k++) {
    const month = 1 + Math.floor(12 * hashUniform(h, 3, k));
    const day = 1 + Math.floor(28 * hashUniform(h, 4, k));
    dates.push(`${year}-${pad(month)}-${pad(day)}`);
    year += 3 + Math.floor(5 * hashUniform(h, 5, k));
  }
  // Ratios from the last split back: `factor` is what earlier closes are multiplied by.
  const splits: SyntheticSplit[] = [];
  let factor = 1;
  for (let k = dates.length - 1; k >= 0; k--) {
    const u = hashUniform(h, 6, k);
    let ratio = u < 0.5 ? 2 : u < 0.75 ? 3 : u < 0.9 ? 1 / 5 : 1 / 10;
    if (factor * ratio > MAX_FACTOR) ratio = 1 / 5;
    else if (factor * ratio < MIN_FACTOR) ratio = 2;
    factor *= ratio;
    splits.push({ scheduled: dates[k], ratio });
  }
  return splits.reverse();
}

/** The split's ex-date: the first trading day on or after its scheduled day. */
export const splitExDate = (split: SyntheticSplit): CalendarDate => onOrAfter(split.scheduled);

/** Product of the ratios of the splits with ex-date after the trading day `date`: as traded = walk × this. */
export function laterSplitFactor(splits: readonly SyntheticSplit[], date: string): number {
  let factor = 1;
  for (let k = splits.length - 1; k >= 0 && splits[k].scheduled > date; k--) factor *= splits[k].ratio;
  return factor;
}

/** Annual dividend yield of the symbol, 0 for non-payers. */
export function syntheticDividendYield(symbol: string, seed: number): number {
  const key = symbol.trim().toUpperCase();
  if (isSyntheticEtf(key)) return ETF_YIELDS[key] ?? 0;
  const h = symbolKey(key, seed);
  if (hashUniform(h, 7) >= PAYER_SHARE) return 0;
  return 0.005 + 0.035 * hashUniform(h, 8);
}

/** Quarterly ex- and pay dates of a payer with ex-date in [from, to], ascending (the amounts need prices). */
export function syntheticDividendDates(symbol: string, seed: number, from: CalendarDate, to: CalendarDate): DividendDate[] {
  if (syntheticDividendYield(symbol, seed) === 0 || from > to) return [];
  const h = symbolKey(symbol.trim().toUpperCase(), seed);
  const firstMonth = 1 + Math.floor(3 * hashUniform(h, 9));
  const day = 1 + Math.floor(25 * hashUniform(h, 10));
  const payLag = 10 + Math.floor(20 * hashUniform(h, 11));
  const out: DividendDate[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (let month = firstMonth; month <= 12; month += 3) {
      const exDate = onOrAfter(`${year}-${pad(month)}-${pad(day)}`);
      if (exDate >= from && exDate <= to) out.push({ exDate, payDate: onOrAfter(addDays(exDate, payLag)) });
    }
  }
  return out;
}
