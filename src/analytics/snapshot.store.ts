import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import { addDays } from '../common/dates';
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

/** Rows per INSERT statement (bounded statement size whatever the chunk size). */
const UPSERT_SLICE = 1000;

/** One JSON array text of a field of every row, e.g. `[[…positions…],[…]]`. */
export function jsonArray<T>(rows: readonly T[], field: (r: T) => unknown): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) parts[i] = JSON.stringify(field(rows[i]));
  return `[${parts.join(',')}]`;
}

/** Day offset from `from` → ISO date, memoised (a history spans a few hundred distinct days). */
function dayOffsets(from: CalendarDate): (offset: number) => CalendarDate {
  const cache = new Map<number, CalendarDate>();
  return (offset) => {
    let d = cache.get(offset);
    if (d === undefined) {
      d = addDays(from, offset);
      cache.set(offset, d);
    }
    return d;
  };
}

const SNAPSHOT_COLUMNS = `portfolio_id, to_char(snapshot_date, 'YYYY-MM-DD') AS snapshot_date, total_value, cash_balance, long_value, short_value,
  gross_exposure, net_exposure, daily_pnl, daily_return, cumulative_pnl, position_count`;

/** Daily snapshots: one row per portfolio and date, re-running a date replaces it. */
@Injectable()
export class SnapshotStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Each portfolio's latest snapshot strictly before `date` (one backward index probe per portfolio). */
  async latestBefore(ids: PortfolioId[], date: CalendarDate): Promise<Map<PortfolioId, { date: CalendarDate; totalValue: number; cumulativePnl: number | null }>> {
    const rows: Array<{ portfolio_id: PortfolioId; d: CalendarDate; total_value: number; cumulative_pnl: number | null }> = await sqlRows(this.db, 
      `SELECT p.id AS portfolio_id, to_char(s.snapshot_date, 'YYYY-MM-DD') AS d, s.total_value, s.cumulative_pnl
       FROM unnest($1::uuid[]) AS p(id) CROSS JOIN LATERAL (
         SELECT snapshot_date, total_value, cumulative_pnl FROM portfolio_snapshots
         WHERE portfolio_id = p.id AND snapshot_date < $2 ORDER BY snapshot_date DESC LIMIT 1) s`,
      [ids, date],
    );
    return new Map(rows.map((r) => [r.portfolio_id, { date: r.d, totalValue: r.total_value, cumulativePnl: r.cumulative_pnl }]));
  }

  /**
   * Inserts or replaces snapshots, up to UPSERT_SLICE per statement. The
   * position lists travel as one JSON array (no per-element array-literal
   * escaping of large JSON strings on the client).
   */
  async upsert(rows: StoredSnapshot[], runId: BatchRunId | null): Promise<void> {
    for (let i = 0; i < rows.length; i += UPSERT_SLICE) {
      const slice = rows.slice(i, i + UPSERT_SLICE);
      const col = <K extends keyof StoredSnapshot>(k: K) => slice.map((r) => r[k]);
      await sqlRows(this.db, 
        `INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, total_value, cash_balance, long_value, short_value, gross_exposure,
           net_exposure, daily_pnl, daily_return, cumulative_pnl, position_count, positions, batch_run_id)
         SELECT u.pid, u.d, u.tv, u.cash, u.lv, u.sv, u.gross, u.net, u.pnl, u.ret, u.cum, u.n, u.pos::jsonb, $14::uuid
         FROM ROWS FROM (unnest($1::uuid[]), unnest($2::date[]), unnest($3::float8[]), unnest($4::float8[]), unnest($5::float8[]), unnest($6::float8[]),
           unnest($7::float8[]), unnest($8::float8[]), unnest($9::float8[]), unnest($10::float8[]), unnest($11::float8[]), unnest($12::int[]),
           json_array_elements($13::json)) AS u(pid, d, tv, cash, lv, sv, gross, net, pnl, ret, cum, n, pos)
         ON CONFLICT (portfolio_id, snapshot_date) DO UPDATE SET total_value = EXCLUDED.total_value, cash_balance = EXCLUDED.cash_balance,
           long_value = EXCLUDED.long_value, short_value = EXCLUDED.short_value, gross_exposure = EXCLUDED.gross_exposure,
           net_exposure = EXCLUDED.net_exposure, daily_pnl = EXCLUDED.daily_pnl, daily_return = EXCLUDED.daily_return,
           cumulative_pnl = EXCLUDED.cumulative_pnl, position_count = EXCLUDED.position_count, positions = EXCLUDED.positions,
           batch_run_id = EXCLUDED.batch_run_id, created_at = now()`,
        [
          col('portfolio_id'), col('snapshot_date'), col('total_value'), col('cash_balance'), col('long_value'), col('short_value'),
          col('gross_exposure'), col('net_exposure'), col('daily_pnl'), col('daily_return'), col('cumulative_pnl'), col('position_count'),
          jsonArray(slice, (r) => r.positions), runId,
        ],
      );
    }
  }

  /**
   * Snapshot value history per portfolio within [from, to], ascending. Each
   * portfolio's series comes back as three comma-joined strings (day offsets
   * from `from`, values, returns) read by one index range scan per portfolio:
   * far less to parse than arrays of dates.
   */
  async history(ids: PortfolioId[], from: CalendarDate, to: CalendarDate): Promise<Map<PortfolioId, SnapshotPoint[]>> {
    const rows: Array<{ portfolio_id: PortfolioId; days: string; values: string; returns: string }> = await sqlRows(this.db, 
      `SELECT p.id AS portfolio_id, h.days, h.values, h.returns
       FROM unnest($1::uuid[]) AS p(id) CROSS JOIN LATERAL (
         SELECT string_agg((s.snapshot_date - $2::date)::text, ',' ORDER BY s.snapshot_date) AS days,
           string_agg(s.total_value::text, ',' ORDER BY s.snapshot_date) AS values,
           string_agg(coalesce(s.daily_return::text, ''), ',' ORDER BY s.snapshot_date) AS returns
         FROM portfolio_snapshots s WHERE s.portfolio_id = p.id AND s.snapshot_date BETWEEN $2 AND $3) h
       WHERE h.days IS NOT NULL`,
      [ids, from, to],
    );
    const dateAt = dayOffsets(from);
    const out = new Map<PortfolioId, SnapshotPoint[]>();
    for (const r of rows) {
      const days = r.days.split(',');
      const values = r.values.split(',');
      const returns = r.returns.split(',');
      out.set(r.portfolio_id, days.map((d, i) => ({ date: dateAt(Number(d)), totalValue: Number(values[i]), dailyReturn: returns[i] === '' ? null : Number(returns[i]) })));
    }
    return out;
  }

  /**
   * For the risk phase: each portfolio's total value on `date` and its
   * positions' market values by position id, without the rest of the
   * position detail.
   */
  async valuesOn(ids: PortfolioId[], date: CalendarDate): Promise<Map<PortfolioId, { totalValue: number; marketValues: Map<string, number> }>> {
    const rows: Array<{ portfolio_id: PortfolioId; total_value: number; values: Record<string, number> | null }> = await sqlRows(this.db, 
      `SELECT portfolio_id, total_value, (SELECT jsonb_object_agg(e->>'position_id', e->'market_value') FROM jsonb_array_elements(positions) e) AS values
       FROM portfolio_snapshots WHERE portfolio_id = ANY($1::uuid[]) AND snapshot_date = $2`,
      [ids, date],
    );
    return new Map(rows.map((r) => [r.portfolio_id, { totalValue: r.total_value, marketValues: new Map(Object.entries(r.values ?? {})) }]));
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
