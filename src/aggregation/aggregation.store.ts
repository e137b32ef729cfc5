import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PerformanceDay } from '../analytics/performance/performance-history.store';
import type { CalendarDate, PortfolioId, UserId } from '../common/branded';
import { sqlRows } from '../database/sql';

/** A day of several portfolios' snapshots summed into one book. */
export interface SummedDay extends PerformanceDay {
  readonly cash: number;
  readonly dailyPnl: number | null;
  readonly cumulativePnl: number | null;
  readonly cumulativeRealizedPnl: number;
  /** Some portfolio's snapshot of the day is stale. */
  readonly stale: boolean;
}

/** Reads for the aggregate view: set-based, one statement each whatever the number of portfolios. */
@Injectable()
export class AggregationStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Of `ids`, those the user owns (unknown ids are simply absent). */
  async owned(userId: UserId, ids: readonly PortfolioId[]): Promise<Set<PortfolioId>> {
    const rows: Array<{ id: PortfolioId }> = await sqlRows(this.db, `SELECT id FROM portfolios WHERE user_id = $1 AND id = ANY($2::uuid[])`, [userId, ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** The user's portfolios, oldest first. */
  async allOf(userId: UserId): Promise<PortfolioId[]> {
    const rows: Array<{ id: PortfolioId }> = await sqlRows(this.db, `SELECT id FROM portfolios WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
    return rows.map((r) => r.id);
  }

  /** Each portfolio's latest snapshot date (portfolios without one are absent). */
  async latestDates(ids: readonly PortfolioId[]): Promise<Map<PortfolioId, CalendarDate>> {
    const rows: Array<{ portfolio_id: PortfolioId; d: CalendarDate }> = await sqlRows(this.db,
      `SELECT p.id AS portfolio_id, to_char(l.d, 'YYYY-MM-DD') AS d FROM unnest($1::uuid[]) AS p(id)
       CROSS JOIN LATERAL (SELECT max(snapshot_date) AS d FROM portfolio_snapshots WHERE portfolio_id = p.id) l WHERE l.d IS NOT NULL`,
      [ids],
    );
    return new Map(rows.map((r) => [r.portfolio_id, r.d]));
  }

  /**
   * The portfolios' snapshots summed by date up to `to`, ascending. A
   * portfolio adds nothing before its first snapshot (as in one book whose
   * money for it arrived later, as flows).
   */
  async summedHistory(ids: readonly PortfolioId[], to: CalendarDate): Promise<SummedDay[]> {
    const rows: Array<{
      d: CalendarDate; total_value: number; cash: number; net_flows: number; realized_pnl: number; income: number; fees: number;
      unrealized_pnl: number | null; daily_pnl: number | null; cumulative_pnl: number | null; cumulative_realized_pnl: number; stale: boolean;
    }> = await sqlRows(this.db,
      `SELECT to_char(s.snapshot_date, 'YYYY-MM-DD') AS d, sum(s.total_value) AS total_value, sum(s.cash_balance) AS cash,
         sum(s.net_flows) AS net_flows, sum(s.realized_pnl) AS realized_pnl, sum(s.income) AS income, sum(s.fees) AS fees,
         CASE WHEN count(s.unrealized_pnl) = count(*) THEN sum(s.unrealized_pnl) END AS unrealized_pnl,
         CASE WHEN count(s.daily_pnl) = count(*) THEN sum(s.daily_pnl) END AS daily_pnl,
         CASE WHEN count(s.cumulative_pnl) = count(*) THEN sum(s.cumulative_pnl) END AS cumulative_pnl,
         sum(s.cumulative_realized_pnl) AS cumulative_realized_pnl,
         coalesce(bool_or(s.snapshot_date >= p.ledger_stale_from), false) AS stale
       FROM portfolio_snapshots s JOIN portfolios p ON p.id = s.portfolio_id
       WHERE s.portfolio_id = ANY($1::uuid[]) AND s.snapshot_date <= $2
       GROUP BY s.snapshot_date ORDER BY s.snapshot_date`,
      [ids, to],
    );
    return rows.map((r) => ({
      date: r.d, value: r.total_value, netFlows: r.net_flows, realizedPnl: r.realized_pnl, income: r.income, fees: r.fees,
      unrealizedPnl: r.unrealized_pnl, cash: r.cash, dailyPnl: r.daily_pnl, cumulativePnl: r.cumulative_pnl,
      cumulativeRealizedPnl: r.cumulative_realized_pnl, stale: r.stale,
    }));
  }
}
