import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FACTOR_SYMBOLS } from '../../analytics/calculators';
import { asCalendarDate, CalendarDate } from '../../common/branded';
import { badRequest } from '../../common/errors';
import { sqlRows } from '../../database/sql';
import { latestCompletedTradingDay, MIN_SUPPORTED_YEAR, tradingDaysBack } from '../../market-data/calendar';
import { dateProblem } from '../batch-dates';

/** A close older than this many trading days before the date is `stale`; a newer gap (or none ever) is `missing`. */
export const STALE_AFTER_TRADING_DAYS = 5;

export interface CoveragePortfolio {
  portfolio_id: string;
  name: string;
}

export interface SymbolCoverage {
  symbol: string;
  /** The last close on or before the date; null: none stored. */
  last_price_date: CalendarDate | null;
  /** The portfolios holding it (none for a factor ETF no one holds). */
  portfolios: CoveragePortfolio[];
  factor: boolean;
}

export interface PortfolioCoverage extends CoveragePortfolio {
  missing_symbols: string[];
  stale_symbols: string[];
}

export interface CoverageReport {
  date: CalendarDate;
  stale_after_trading_days: number;
  /** Last close before this date = stale. */
  stale_before: CalendarDate;
  symbols_checked: number;
  missing: SymbolCoverage[];
  stale: SymbolCoverage[];
  /** Only the portfolios with a missing or stale symbol. */
  portfolios: PortfolioCoverage[];
}

interface Row {
  symbol: string;
  last_price_date: string | null;
  factor: boolean;
  portfolios: CoveragePortfolio[];
  checked: number;
}

/**
 * Data coverage before a run: the symbols whose closes value the book on a
 * date (every holding's symbol, an option's underlying instead of the
 * contract, options expired before the date left out) plus the factor ETFs,
 * with no close stored for that date. Read from the price store and the
 * holdings in one statement, so it sits here, in the batch module, which
 * already reads both (market data must not depend on portfolios).
 */
@Injectable()
export class MarketDataCoverage {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The date to check: the given trading day (not in the future), or the latest completed one. */
  static resolveDate(date: CalendarDate | undefined, now: Date = new Date()): CalendarDate {
    const latest = latestCompletedTradingDay(now);
    if (!date) return latest;
    if (date < `${MIN_SUPPORTED_YEAR + 1}-01-01`) throw badRequest(`date ${date} is before ${MIN_SUPPORTED_YEAR + 1}-01-01, the start of the trading calendar`);
    const problem = dateProblem('date', date, latest);
    if (problem) throw badRequest(problem);
    return date;
  }

  async report(date: CalendarDate): Promise<CoverageReport> {
    const staleBefore = tradingDaysBack(date, STALE_AFTER_TRADING_DAYS);
    const rows: Row[] = await sqlRows(
      this.db,
      `WITH held AS (
         SELECT DISTINCT coalesce(x.underlying_symbol, x.symbol) AS symbol, x.portfolio_id
         FROM positions x WHERE x.expiration_date IS NULL OR x.expiration_date >= $1::date),
       symbols AS (
         SELECT symbol, bool_or(factor) AS factor FROM (
           SELECT symbol, false AS factor FROM held UNION ALL SELECT unnest($2::text[]), true) s GROUP BY symbol),
       coverage AS (
         SELECT s.symbol, s.factor,
           (SELECT max(d.price_date) FROM daily_prices d WHERE d.symbol = s.symbol AND d.price_date <= $1::date) AS last_date
         FROM symbols s)
       SELECT c.symbol, to_char(c.last_date, 'YYYY-MM-DD') AS last_price_date, c.factor,
         coalesce(json_agg(json_build_object('portfolio_id', p.id, 'name', p.name) ORDER BY p.name, p.id) FILTER (WHERE p.id IS NOT NULL), '[]') AS portfolios,
         (SELECT count(*) FROM symbols)::int AS checked
       FROM coverage c LEFT JOIN held h ON h.symbol = c.symbol LEFT JOIN portfolios p ON p.id = h.portfolio_id
       WHERE c.last_date IS DISTINCT FROM $1::date
       GROUP BY c.symbol, c.factor, c.last_date ORDER BY c.symbol`,
      [date, [...FACTOR_SYMBOLS]],
    );
    const checked = rows.length ? rows[0].checked : await this.symbolCount(date);
    return coverageReport(date, staleBefore, checked, rows);
  }

  /** How many symbols were checked, when none lacks a close (the main statement returns no row then). */
  private async symbolCount(date: CalendarDate): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await sqlRows(
      this.db,
      `SELECT count(*)::int AS n FROM (SELECT coalesce(underlying_symbol, symbol) FROM positions WHERE expiration_date IS NULL OR expiration_date >= $1::date
         UNION SELECT unnest($2::text[])) s`,
      [date, [...FACTOR_SYMBOLS]],
    );
    return n;
  }
}

/** Splits the symbols without a close on the date into missing and stale, and regroups them per portfolio. */
export function coverageReport(date: CalendarDate, staleBefore: CalendarDate, checked: number, rows: Array<Omit<Row, 'checked'>>): CoverageReport {
  const missing: SymbolCoverage[] = [];
  const stale: SymbolCoverage[] = [];
  const byPortfolio = new Map<string, PortfolioCoverage>();
  for (const r of rows) {
    const last = r.last_price_date ? asCalendarDate(r.last_price_date) : null;
    const isStale = last !== null && last < staleBefore;
    (isStale ? stale : missing).push({ symbol: r.symbol, last_price_date: last, portfolios: r.portfolios, factor: r.factor });
    for (const p of r.portfolios) {
      let entry = byPortfolio.get(p.portfolio_id);
      if (!entry) byPortfolio.set(p.portfolio_id, (entry = { ...p, missing_symbols: [], stale_symbols: [] }));
      (isStale ? entry.stale_symbols : entry.missing_symbols).push(r.symbol);
    }
  }
  const portfolios = [...byPortfolio.values()].sort((a, b) => a.name.localeCompare(b.name) || a.portfolio_id.localeCompare(b.portfolio_id));
  return { date, stale_after_trading_days: STALE_AFTER_TRADING_DAYS, stale_before: staleBefore, symbols_checked: checked, missing, stale, portfolios };
}
