import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CalendarDate } from '../common/branded';
import { addDays, daysBetween } from '../common/dates';
import type { DailyBar } from './providers/market-data-provider';

export interface StoredBar extends DailyBar {
  source: string;
}

/** Daily bars keyed by (symbol, date); every read and write is one statement for many symbols. */
@Injectable()
export class PriceStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Insert or replace bars, in slices of 5,000 rows per statement. */
  async upsert(bars: StoredBar[], em: EntityManager = this.db.manager): Promise<number> {
    for (let i = 0; i < bars.length; i += 5000) {
      const slice = bars.slice(i, i + 5000);
      await sqlRows(em, 
        `INSERT INTO daily_prices (symbol, price_date, close, open, high, low, volume, source)
         SELECT * FROM unnest($1::text[], $2::date[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[], $8::text[])
         ON CONFLICT (symbol, price_date) DO UPDATE SET close = EXCLUDED.close, open = EXCLUDED.open, high = EXCLUDED.high,
           low = EXCLUDED.low, volume = EXCLUDED.volume, source = EXCLUDED.source, updated_at = now()`,
        [
          slice.map((b) => b.symbol),
          slice.map((b) => b.date),
          slice.map((b) => b.close),
          slice.map((b) => b.open),
          slice.map((b) => b.high),
          slice.map((b) => b.low),
          slice.map((b) => (b.volume === null ? null : Math.round(b.volume))),
          slice.map((b) => b.source),
        ],
      );
    }
    return bars.length;
  }

  /** Stored dates per symbol within [from, to] (read as day offsets from `from`: little to parse). */
  async storedDates(symbols: string[], from: CalendarDate, to: CalendarDate): Promise<Map<string, Set<string>>> {
    const rows: Array<{ symbol: string; days: string }> = await sqlRows(this.db, 
      `SELECT symbol, string_agg((price_date - $2::date)::text, ',') AS days FROM daily_prices
       WHERE symbol = ANY($1) AND price_date BETWEEN $2 AND $3 GROUP BY symbol`,
      [symbols, from, to],
    );
    const dates = new Map<number, string>();
    const dateAt = (offset: number): string => {
      let d = dates.get(offset);
      if (d === undefined) dates.set(offset, (d = addDays(from, offset)));
      return d;
    };
    return new Map(rows.map((r) => [r.symbol, new Set(r.days.split(',').map((o) => dateAt(Number(o))))]));
  }

  /**
   * Closes of `symbols` aligned on the given trading days: for each
   * symbol stored in the range, an array as long as `dates`, NaN where no close
   * is stored. Closes on days not in `dates` are ignored.
   */
  async alignedCloses(symbols: string[], dates: readonly CalendarDate[]): Promise<Map<string, Float64Array>> {
    const out = new Map<string, Float64Array>();
    if (!dates.length || !symbols.length) return out;
    let from = dates[0];
    let to = dates[0];
    for (const d of dates) {
      if (d < from) from = d;
      if (d > to) to = d;
    }
    const slot = new Int32Array(daysBetween(from, to) + 1).fill(-1);
    dates.forEach((d, i) => (slot[daysBetween(from, d)] = i));
    const rows: Array<{ symbol: string; days: string; closes: string }> = await sqlRows(this.db, 
      `SELECT symbol, string_agg((price_date - $2::date)::text, ',' ORDER BY price_date) AS days, string_agg(close::text, ',' ORDER BY price_date) AS closes
       FROM daily_prices WHERE symbol = ANY($1) AND price_date BETWEEN $2 AND $3 GROUP BY symbol`,
      [symbols, from, to],
    );
    for (const r of rows) {
      const series = new Float64Array(dates.length).fill(NaN);
      const days = r.days.split(',');
      const closes = r.closes.split(',');
      for (let k = 0; k < days.length; k++) {
        const i = slot[Number(days[k])];
        if (i >= 0) series[i] = Number(closes[k]);
      }
      out.set(r.symbol, series);
    }
    return out;
  }

  /** Closes per symbol within [from, to] as a map date → close. */
  async closes(symbols: string[], from: CalendarDate, to: CalendarDate): Promise<Map<string, Map<string, number>>> {
    const rows: Array<{ symbol: string; dates: string[]; closes: number[] }> = await sqlRows(this.db, 
      `SELECT symbol, array_agg(to_char(price_date, 'YYYY-MM-DD') ORDER BY price_date) AS dates, array_agg(close ORDER BY price_date) AS closes
       FROM daily_prices WHERE symbol = ANY($1) AND price_date BETWEEN $2 AND $3 GROUP BY symbol`,
      [symbols, from, to],
    );
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const m = new Map<string, number>();
      r.dates.forEach((d, i) => m.set(d, Number(r.closes[i])));
      out.set(r.symbol, m);
    }
    return out;
  }

  /**
   * For each (symbol, date): the last stored close on or before the date and
   * at most `maxDays` calendar days before it; pairs without one are absent.
   * Keyed `SYMBOL|YYYY-MM-DD`. One statement for any number of pairs.
   */
  async closesOnOrBefore(pairs: ReadonlyArray<{ symbol: string; date: CalendarDate }>, maxDays = 7, em: EntityManager = this.db.manager): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!pairs.length) return out;
    const rows: Array<{ symbol: string; d: string; close: number }> = await sqlRows(em,
      `SELECT q.symbol, to_char(q.d, 'YYYY-MM-DD') AS d, p.close::float8 AS close
       FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::date[]) AS u(symbol, d)) q
       CROSS JOIN LATERAL (SELECT close FROM daily_prices WHERE symbol = q.symbol AND price_date <= q.d AND price_date >= q.d - $3::int
                           ORDER BY price_date DESC LIMIT 1) p`,
      [pairs.map((p) => p.symbol), pairs.map((p) => p.date), maxDays],
    );
    for (const r of rows) out.set(`${r.symbol}|${r.d}`, r.close);
    return out;
  }
}
