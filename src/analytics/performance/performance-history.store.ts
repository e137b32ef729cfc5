import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CalendarDate, PortfolioId } from '../../common/branded';
import { sqlRows } from '../../database/sql';

/** One day of the ledger-booked snapshot history, as the performance report reads it. */
export interface PerformanceDay {
  readonly date: CalendarDate;
  readonly value: number;
  readonly netFlows: number;
  readonly realizedPnl: number;
  readonly income: number;
  readonly fees: number;
  readonly unrealizedPnl: number | null;
}

export interface PerformanceHistory {
  /** The last snapshot before the range's first day (its close is the range's base), or null at inception. */
  readonly base: PerformanceDay | null;
  /** The range's snapshots, ascending. */
  readonly days: PerformanceDay[];
}

interface Row {
  d: CalendarDate;
  total_value: number;
  net_flows: number;
  realized_pnl: number;
  income: number;
  fees: number;
  unrealized_pnl: number | null;
  is_base: boolean;
}

const toDay = (r: Row): PerformanceDay => ({
  date: r.d, value: r.total_value, netFlows: r.net_flows, realizedPnl: r.realized_pnl, income: r.income, fees: r.fees, unrealizedPnl: r.unrealized_pnl,
});

/** Reads of portfolio_snapshots for GET /performance: two index range scans, one statement each. */
@Injectable()
export class PerformanceHistoryStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** First and latest snapshot dates of a portfolio, or null when it has none. */
  async bounds(id: PortfolioId): Promise<{ inception: CalendarDate; latest: CalendarDate } | null> {
    const rows: Array<{ inception: CalendarDate | null; latest: CalendarDate | null }> = await sqlRows(this.db,
      `SELECT to_char(min(snapshot_date), 'YYYY-MM-DD') AS inception, to_char(max(snapshot_date), 'YYYY-MM-DD') AS latest
       FROM portfolio_snapshots WHERE portfolio_id = $1`,
      [id],
    );
    const r = rows[0];
    return r?.inception && r.latest ? { inception: r.inception, latest: r.latest } : null;
  }

  /** The snapshots within [from, to] and the last one before `from`, in one statement. */
  async range(id: PortfolioId, from: CalendarDate, to: CalendarDate): Promise<PerformanceHistory> {
    const cols = `to_char(snapshot_date, 'YYYY-MM-DD') AS d, total_value, net_flows, realized_pnl, income, fees, unrealized_pnl`;
    const rows: Row[] = await sqlRows(this.db,
      `(SELECT ${cols}, true AS is_base FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date < $2
         ORDER BY snapshot_date DESC LIMIT 1)
       UNION ALL
       (SELECT ${cols}, false AS is_base FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date BETWEEN $2 AND $3
         ORDER BY snapshot_date)`,
      [id, from, to],
    );
    const base = rows.find((r) => r.is_base);
    return { base: base ? toDay(base) : null, days: rows.filter((r) => !r.is_base).map(toDay).sort((a, b) => (a.date < b.date ? -1 : 1)) };
  }
}
