import { lowerBound } from '../../common/sorted';
import { CalendarDate } from '../../common/branded';
import { tradingDaysBetween } from '../calendar/nyse-calendar';
import type { CorporateAction } from '../../ledger/ledger.types';
import { DailyBar, describeCause, MarketDataError, MarketDataProvider, SecurityDetailsResult } from './market-data-provider';
import { syntheticSecurity } from './synthetic-securities';
import { laterSplitFactor, splitExDate, SyntheticSplit, syntheticDividendDates, syntheticDividendYield, syntheticSplits } from './synthetic-actions';
import { FactorSeries, SymbolProfile, SymbolSeries, syntheticProfile } from './synthetic-model';
import { hashNormals, hashString } from './synthetic-random';

/**
 * Deterministic prices for any symbol: the same (seed, symbol, date) always
 * gives the same bar, whatever range was asked for, because every series is
 * walked from a fixed epoch and cached. Bars exist on NYSE trading days from
 * the epoch on. See synthetic-model.ts for the model.
 *
 * The walk is the split-adjusted series; closes are as traded: before a
 * split's ex-date they are the walk × the ratio (× every later ratio), so
 * returns on split-adjusted closes are the walk's. See synthetic-actions.ts.
 */

export const SYNTHETIC_EPOCH = '2000-01-03' as CalendarDate;
export const DEFAULT_SYNTHETIC_SEED = 42;
const { exp, log, abs, min, max, round } = Math;
const SQRT_252 = Math.sqrt(252);

export interface SyntheticProviderOptions {
  seed: number;
  /** Symbols whose generated series stay cached (least recently used are dropped). */
  maxCachedSymbols?: number;
}

// Trading days from the epoch, shared by every instance, extended a year at a time.
const epochDays: CalendarDate[] = [];
let coveredYear = Number(SYNTHETIC_EPOCH.slice(0, 4)) - 1;

function ensureDaysThrough(year: number): void {
  while (coveredYear < year) {
    coveredYear += 1;
    const start = (coveredYear === Number(SYNTHETIC_EPOCH.slice(0, 4)) ? SYNTHETIC_EPOCH : `${coveredYear}-01-01`) as CalendarDate;
    for (const day of tradingDaysBetween(start, `${coveredYear}-12-31` as CalendarDate)) epochDays.push(day);
  }
}

const round4 = (x: number): number => round(x * 1e4) / 1e4;

function foldSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new TypeError(`synthetic seed must be a safe integer, got ${seed}`);
  const high = Math.floor(Math.abs(seed) / 2 ** 32);
  return ((Math.abs(seed) >>> 0) ^ Math.imul(high, 0x9e3779b9) ^ (seed < 0 ? 0x80000000 : 0)) >>> 0;
}

export class SyntheticMarketDataProvider implements MarketDataProvider {
  readonly name = 'synthetic' as const;
  private readonly seed: number;
  private readonly factors: FactorSeries;
  private readonly maxCached: number;
  private readonly cache = new Map<string, SymbolSeries>();
  private readonly splitCache = new Map<string, SyntheticSplit[]>();
  private readonly scratch = new Float64Array(2);

  constructor(options: SyntheticProviderOptions) {
    this.seed = foldSeed(options.seed);
    this.factors = new FactorSeries(this.seed);
    this.maxCached = Math.max(1, options.maxCachedSymbols ?? 1000);
  }

  async fetchDailyBars(symbol: string, from: CalendarDate, to: CalendarDate): Promise<DailyBar[]> {
    return this.dailyBars(symbol, from, to);
  }

  /** Synchronous form of fetchDailyBars. */
  dailyBars(symbol: string, from: CalendarDate, to: CalendarDate): DailyBar[] {
    const { series, start, end } = this.locate(symbol, from, to);
    const key = hashString(series.profile.symbol, this.seed ^ 0x0b5e55ed);
    const splits = this.splits(series.profile.symbol);
    const bars: DailyBar[] = [];
    let prev = start > 0 ? series.close(start - 1) : Number.NaN;
    for (let t = start; t < end; t++) {
      const close = series.close(t);
      const bar = this.bar(symbol, series, t, key, close, t > 0 ? prev : close);
      bars.push(splits.length ? asTraded(bar, laterSplitFactor(splits, bar.date)) : bar);
      prev = close;
    }
    return bars;
  }

  /** Closing price as traded on `date`, or null when it is not a trading day on or after the epoch. */
  closeOn(symbol: string, date: CalendarDate): number | null {
    const walk = this.walkClose(symbol, date);
    if (walk === null) return null;
    const factor = laterSplitFactor(this.splits(symbol.trim().toUpperCase()), date);
    return factor === 1 ? walk : round4(walk * factor);
  }

  /** The walk's level on `date` (the split-adjusted close, anchored after the last split), or null. */
  walkClose(symbol: string, date: CalendarDate): number | null {
    const { series, start, end } = this.locate(symbol, date, date);
    return end > start ? series.close(start) : null;
  }

  async fetchCorporateActions(symbol: string, from: CalendarDate, to: CalendarDate): Promise<CorporateAction[]> {
    return this.corporateActions(symbol, from, to);
  }

  /** Every symbol classified, the same whatever the seed (synthetic-securities.ts). */
  async fetchSecurityDetails(symbols: string[]): Promise<SecurityDetailsResult> {
    return { details: symbols.map(syntheticSecurity), failed: [] };
  }

  /** Synchronous form of fetchCorporateActions: splits and quarterly dividends with ex-date in [from, to]. */
  corporateActions(symbol: string, from: CalendarDate, to: CalendarDate): CorporateAction[] {
    const key = symbol.trim().toUpperCase();
    if (!key) throw new MarketDataError(symbol, `synthetic: empty symbol "${symbol}"`);
    const start = from < SYNTHETIC_EPOCH ? SYNTHETIC_EPOCH : from;
    const out: CorporateAction[] = [];
    for (const s of this.splits(key)) {
      if (s.scheduled > to) break;
      const exDate = splitExDate(s);
      if (exDate >= from && exDate <= to) out.push({ symbol, type: 'SPLIT', exDate, payDate: null, ratio: s.ratio, amount: null });
    }
    const quarterlyYield = syntheticDividendYield(key, this.seed) / 4;
    for (const { exDate, payDate } of syntheticDividendDates(key, this.seed, start, to)) {
      if (exDate <= SYNTHETIC_EPOCH) continue;
      // paid on the close before the ex-date, as traded
      const close = this.closeOn(key, this.previousDay(exDate));
      if (close === null) continue;
      out.push({ symbol, type: 'CASH_DIVIDEND', exDate, payDate, ratio: null, amount: Math.max(0.01, round(quarterlyYield * close * 100) / 100) });
    }
    return out.sort((a, b) => (a.exDate < b.exDate ? -1 : a.exDate > b.exDate ? 1 : a.type < b.type ? -1 : 1));
  }

  /** The model parameters behind a symbol's prices. */
  profile(symbol: string): SymbolProfile {
    return syntheticProfile(symbol);
  }

  private locate(symbol: string, from: CalendarDate, to: CalendarDate): { series: SymbolSeries; start: number; end: number } {
    const key = symbol.trim().toUpperCase();
    if (!key) throw new MarketDataError(symbol, `synthetic: empty symbol "${symbol}"`);
    try {
      ensureDaysThrough(Number(to.slice(0, 4)));
    } catch (err) {
      throw new MarketDataError(symbol, `${symbol}: synthetic prices unavailable up to ${to}: ${describeCause(err)}`, err);
    }
    const start = lowerBound(epochDays, from);
    // `${to}\0` sorts after `to` and before the next day: first index past `to`.
    const end = from > to ? start : lowerBound(epochDays, `${to}\u0000`);
    const series = this.series(key, end);
    return { series, start, end };
  }

  private previousDay(date: CalendarDate): CalendarDate {
    ensureDaysThrough(Number(date.slice(0, 4)));
    return epochDays[lowerBound(epochDays, date) - 1];
  }

  private splits(key: string): SyntheticSplit[] {
    let splits = this.splitCache.get(key);
    if (!splits) {
      if (this.splitCache.size >= this.maxCached) this.splitCache.clear();
      splits = syntheticSplits(key, this.seed);
      this.splitCache.set(key, splits);
    }
    return splits;
  }

  private series(key: string, length: number): SymbolSeries {
    let series = this.cache.get(key);
    if (series) {
      this.cache.delete(key); // re-insert: most recently used last
    } else {
      series = new SymbolSeries(syntheticProfile(key), this.seed);
      if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(key, series);
    series.ensure(length, this.factors);
    return series;
  }

  /** Open/high/low/volume around the close, from stateless hashes of (symbol, seed, day). */
  private bar(symbol: string, series: SymbolSeries, t: number, key: number, close: number, prev: number): DailyBar {
    const p = series.profile;
    const z = this.scratch;
    const sd = (p.totalVol / SQRT_252) * this.factors.regime[t];
    hashNormals(key, t, 0, z);
    const open = t === 0 ? close : round4(prev * exp(0.3 * sd * z[0]));
    const volumeNoise = z[1];
    hashNormals(key, t, 1, z);
    const high = round4(max(open, close) * exp(0.5 * sd * abs(z[0])));
    const low = round4(min(open, close) * exp(-0.5 * sd * abs(z[1])));
    const move = min(abs(log(close / prev)) / sd, 4);
    const volume = round(p.baseVolume * exp(0.3 * volumeNoise) * (1 + 0.3 * move));
    return { symbol, date: epochDays[t], open, high, low, close, volume };
  }
}

/** A walk bar as traded when every price is × factor: shares before a split are fewer, so volume is ÷ factor. */
function asTraded(bar: DailyBar, factor: number): DailyBar {
  if (factor === 1) return bar;
  const scale = (x: number | null): number | null => (x === null ? null : round4(x * factor));
  return {
    ...bar, open: scale(bar.open), high: scale(bar.high), low: scale(bar.low), close: round4(bar.close * factor),
    volume: bar.volume === null ? null : max(1, round(bar.volume / factor)),
  };
}

const sharedBySeed = new Map<number, SyntheticMarketDataProvider>();

/** Convenience: the synthetic close of `symbol` on `date` (null on non-trading days). */
export function syntheticClose(symbol: string, date: CalendarDate, seed = DEFAULT_SYNTHETIC_SEED): number | null {
  let provider = sharedBySeed.get(seed);
  if (!provider) {
    provider = new SyntheticMarketDataProvider({ seed });
    sharedBySeed.set(seed, provider);
  }
  return provider.closeOn(symbol, date);
}
