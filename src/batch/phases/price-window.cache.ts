import { Injectable } from '@nestjs/common';
import { MarketSeries } from '../../analytics/calculators';
import type { CalendarDate } from '../../common/branded';
import { tradingDaysBack, tradingDaysBetween } from '../../market-data/calendar';
import { CorporateActionStore } from '../../market-data/corporate-action.store';
import { MarketDataService } from '../../market-data/market-data.service';
import { adjustForSplits } from '../../market-data/split-adjust';
import type { CorporateAction } from '../../ledger/ledger.types';

/** Trading days of price history the risk analytics look back over (252 returns = 253 closes). */
export const LOOKBACK_TRADING_DAYS = 252;

interface Entry {
  dates: CalendarDate[];
  /** As traded: what positions are valued at. */
  closes: Map<string, Float64Array>;
  /** Each loaded symbol's corporate actions up to the date: returns use split-adjusted closes. */
  actions: Map<string, CorporateAction[]>;
  series: MarketSeries | null;
  /** The entry's loads run one after the other, so concurrent chunks never read the same symbols twice. */
  loading: Promise<void>;
}

/**
 * Per process, the price window of the last few (run, date) pairs: every
 * chunk of a date shares one matrix and its cached returns, and only symbols
 * not loaded yet are read.
 */
@Injectable()
export class PriceWindowCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly marketData: MarketDataService,
    private readonly actions: CorporateActionStore,
  ) {}

  static window(date: CalendarDate): CalendarDate[] {
    return tradingDaysBetween(tradingDaysBack(date, LOOKBACK_TRADING_DAYS), date);
  }

  /** The window's aligned closes as traded, loading the symbols not loaded yet. */
  async closes(runId: string, date: CalendarDate, symbols: string[]): Promise<{ dates: CalendarDate[]; closes: Map<string, Float64Array> }> {
    const entry = await this.load(runId, date, symbols);
    return { dates: entry.dates, closes: entry.closes };
  }

  async series(runId: string, date: CalendarDate, symbols: string[]): Promise<MarketSeries> {
    const entry = await this.load(runId, date, symbols);
    // rebuilt only when new symbols arrived; otherwise every chunk shares its cached returns.
    // Returns on split-adjusted closes: a split is no price move (the last close stays as traded).
    if (!entry.series) entry.series = new MarketSeries(entry.dates, adjustForSplits({ dates: entry.dates, closes: entry.closes }, entry.actions).closes);
    return entry.series;
  }

  private async load(runId: string, date: CalendarDate, symbols: string[]): Promise<Entry> {
    const key = `${runId}|${date}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { dates: PriceWindowCache.window(date), closes: new Map(), actions: new Map(), series: null, loading: Promise.resolve() };
      this.entries.set(key, entry);
      while (this.entries.size > 4) this.entries.delete(this.entries.keys().next().value as string);
    }
    const e = entry;
    if (symbols.every((s) => e.closes.has(s))) return e;
    // behind any load in flight (a chunk running alongside): then only what is still missing is read
    const load = e.loading.then(async () => {
      const missing = symbols.filter((s) => !e.closes.has(s));
      if (!missing.length) return;
      const [m, actions] = await Promise.all([this.marketData.priceMatrix(missing, e.dates), this.actions.forSymbols(missing, date)]);
      for (const [s, a] of actions) e.actions.set(s, a);
      for (const [s, v] of m.closes) e.closes.set(s, v);
      e.series = null;
    });
    // the caller awaits `load` and gets its error; the chain only needs to know it is over
    e.loading = load.catch(() => undefined);
    await load;
    return e;
  }

  clear(runId: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${runId}|`)) this.entries.delete(key);
  }
}
