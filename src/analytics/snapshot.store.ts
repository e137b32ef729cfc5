import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import type { PositionValuation, SnapshotRecord } from './calculators/snapshot';

export interface StoredSnapshot extends SnapshotRecord {
  portfolio_id: PortfolioId;
  positions: PositionValuation[];
}

export interface SnapshotPoint {
  date: CalendarDate;
  totalValue: number;
  dailyReturn: number | null;
}

const SNAPSHOT_COLUMNS = `portfolio_id, to_char(snapshot_date, 'YYYY-MM-DD') AS snapshot_date, total_value, cash_balance, long_value, short_value,
  gross_exposure, net_exposure, daily_pnl, daily_return, cumulative_pnl, position_count`;

/** Daily snapshots: one row per portfolio and date, re-running a date replaces it. */
@Injectable()
export class SnapshotStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Each portfolio's latest snapshot strictly before `date`. */
  async latestBefore(ids: PortfolioId[], date: CalendarDate): Promise<Map<PortfolioId, { date: CalendarDate; totalValue: number; cumulativePnl: number | null }>> {
    const rows: Array<{ portfolio_id: PortfolioId; d: CalendarDate; total_value: number; cumulative_pnl: number | null }> = await sqlRows(this.db, 
      `SELECT DISTINCT ON (portfolio_id) portfolio_id, to_char(snapshot_date, 'YYYY-MM-DD') AS d, total_value, cumulative_pnl
       FROM portfolio_snapshots WHERE portfolio_id = ANY($1::uuid[]) AND snapshot_date < $2 ORDER BY portfolio_id, snapshot_date DESC`,
      [ids, date],
    );
    return new Map(rows.map((r) => [r.portfolio_id, { date: r.d, totalValue: r.total_value, cumulativePnl: r.cumulative_pnl }]));
  }

  async upsert(rows: StoredSnapshot[], runId: BatchRunId | null): Promise<void> {
    if (!rows.length) return;
    const col = <K extends keyof StoredSnapshot>(k: K) => rows.map((r) => r[k]);
    await sqlRows(this.db, 
      `INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, total_value, cash_balance, long_value, short_value, gross_exposure,
         net_exposure, daily_pnl, daily_return, cumulative_pnl, position_count, positions, batch_run_id)
       SELECT u.*, $14::uuid FROM unnest($1::uuid[], $2::date[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
         $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::int[], $13::jsonb[]) AS u
       ON CONFLICT (portfolio_id, snapshot_date) DO UPDATE SET total_value = EXCLUDED.total_value, cash_balance = EXCLUDED.cash_balance,
         long_value = EXCLUDED.long_value, short_value = EXCLUDED.short_value, gross_exposure = EXCLUDED.gross_exposure,
         net_exposure = EXCLUDED.net_exposure, daily_pnl = EXCLUDED.daily_pnl, daily_return = EXCLUDED.daily_return,
         cumulative_pnl = EXCLUDED.cumulative_pnl, position_count = EXCLUDED.position_count, positions = EXCLUDED.positions,
         batch_run_id = EXCLUDED.batch_run_id, created_at = now()`,
      [
        col('portfolio_id'), col('snapshot_date'), col('total_value'), col('cash_balance'), col('long_value'), col('short_value'),
        col('gross_exposure'), col('net_exposure'), col('daily_pnl'), col('daily_return'), col('cumulative_pnl'), col('position_count'),
        rows.map((r) => JSON.stringify(r.positions)), runId,
      ],
    );
  }

  /** Snapshot value history per portfolio within [from, to], ascending. */
  async history(ids: PortfolioId[], from: CalendarDate, to: CalendarDate): Promise<Map<PortfolioId, SnapshotPoint[]>> {
    const rows: Array<{ portfolio_id: PortfolioId; dates: CalendarDate[]; values: number[]; returns: Array<number | null> }> = await sqlRows(this.db, 
      `SELECT portfolio_id, array_agg(to_char(snapshot_date, 'YYYY-MM-DD') ORDER BY snapshot_date) AS dates,
         array_agg(total_value ORDER BY snapshot_date) AS values, array_agg(daily_return ORDER BY snapshot_date) AS returns
       FROM portfolio_snapshots WHERE portfolio_id = ANY($1::uuid[]) AND snapshot_date BETWEEN $2 AND $3 GROUP BY portfolio_id`,
      [ids, from, to],
    );
    return new Map(rows.map((r) => [r.portfolio_id, r.dates.map((date, i) => ({ date, totalValue: r.values[i], dailyReturn: r.returns[i] }))]));
  }

  /** Snapshots on one date, with position values. */
  async on(ids: PortfolioId[], date: CalendarDate): Promise<Map<PortfolioId, StoredSnapshot>> {
    const rows: StoredSnapshot[] = await sqlRows(this.db, 
      `SELECT ${SNAPSHOT_COLUMNS}, positions FROM portfolio_snapshots WHERE portfolio_id = ANY($1::uuid[]) AND snapshot_date = $2`,
      [ids, date],
    );
    return new Map(rows.map((r) => [r.portfolio_id, r]));
  }

  /** For the API: one portfolio's snapshots in a date range (without position detail). */
  async list(id: PortfolioId, from: CalendarDate | null, to: CalendarDate | null): Promise<Omit<StoredSnapshot, 'positions'>[]> {
    return sqlRows(this.db, 
      `SELECT ${SNAPSHOT_COLUMNS} FROM portfolio_snapshots WHERE portfolio_id = $1
       AND ($2::date IS NULL OR snapshot_date >= $2) AND ($3::date IS NULL OR snapshot_date <= $3) ORDER BY snapshot_date`,
      [id, from, to],
    );
  }

  /** For the API: the snapshot on `date`, or the latest. */
  async latest(id: PortfolioId, date: CalendarDate | null): Promise<StoredSnapshot | null> {
    const rows: StoredSnapshot[] = await sqlRows(this.db, 
      `SELECT ${SNAPSHOT_COLUMNS}, positions FROM portfolio_snapshots WHERE portfolio_id = $1 AND ($2::date IS NULL OR snapshot_date = $2)
       ORDER BY snapshot_date DESC LIMIT 1`,
      [id, date],
    );
    return rows[0] ?? null;
  }
}
