import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CalendarDate, PortfolioId } from '../common/branded';
import { sqlRows } from '../database/sql';

/** Set-based reads of what a run's ledgers need, for the market-data phase. */
@Injectable()
export class LedgerScopeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The earliest date any portfolio in scope needs its snapshots (re)computed
   * for a run whose first date is `firstDate`: per portfolio the day after its
   * latest usable snapshot before `firstDate` (booked from the ledger, not
   * stale), else its first transaction; null when no portfolio has any. One
   * statement, one backward index probe per portfolio.
   */
  async earliestRecompute(ids: PortfolioId[] | 'all', firstDate: CalendarDate): Promise<CalendarDate | null> {
    const rows: Array<{ d: CalendarDate | null }> = await sqlRows(this.db,
      `SELECT to_char(min(least(need, $3::date)), 'YYYY-MM-DD') AS d FROM (
         SELECT coalesce(
           (SELECT s.snapshot_date + 1 FROM portfolio_snapshots s
             WHERE s.portfolio_id = p.id AND s.snapshot_date < $3 AND s.snapshot_date < coalesce(p.ledger_stale_from, 'infinity'::date)
               AND s.cumulative_pnl IS NOT NULL AND s.unrealized_pnl IS NOT NULL
             ORDER BY s.snapshot_date DESC LIMIT 1),
           (SELECT min(t.trade_date) FROM transactions t WHERE t.portfolio_id = p.id)) AS need
         FROM portfolios p WHERE $1::boolean OR p.id = ANY($2::uuid[])) n`,
      [ids === 'all', ids === 'all' ? [] : ids, firstDate],
    );
    return rows[0]?.d ?? null;
  }

  /** Distinct symbols whose closes value the holdings of the given portfolios (underlyings for options), closed ones included. */
  async priceSymbols(ids: PortfolioId[] | 'all'): Promise<string[]> {
    const rows: Array<{ s: string }> = await sqlRows(this.db,
      `SELECT DISTINCT coalesce(underlying_symbol, symbol) AS s FROM positions
       WHERE $1::boolean OR portfolio_id = ANY($2::uuid[]) ORDER BY 1`,
      [ids === 'all', ids === 'all' ? [] : ids],
    );
    return rows.map((r) => r.s);
  }
}
