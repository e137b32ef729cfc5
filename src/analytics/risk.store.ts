import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import { fromStoredRisk, toStoredRisk } from './stored-risk';
import { jsonArray } from './snapshot.store';

/** Risk records (json: stored as sent, see migration 1764400530000): one per portfolio and date, replaced on re-run. */
@Injectable()
export class RiskStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts or replaces risk records, up to 1,000 per statement, in their
   * stored form (risk-record-storage.ts: the correlation matrix as its upper
   * triangle; `latest` gives the record back as computed). The records
   * travel as one JSON array: a 30-position record is ~30 KB of JSON, and
   * sending it as a jsonb[] array literal would escape every quote of it.
   */
  async upsert(rows: Array<{ portfolioId: PortfolioId; date: CalendarDate; metrics: unknown }>, runId: BatchRunId | null): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      const slice = rows.slice(i, i + 1000);
      await sqlRows(this.db, 
        `INSERT INTO portfolio_risk (portfolio_id, calculation_date, metrics, batch_run_id)
         SELECT u.pid, u.d, u.m, $4::uuid FROM ROWS FROM (unnest($1::uuid[]), unnest($2::date[]), json_array_elements($3::json)) AS u(pid, d, m)
         ON CONFLICT (portfolio_id, calculation_date) DO UPDATE SET metrics = EXCLUDED.metrics, batch_run_id = EXCLUDED.batch_run_id, created_at = now()`,
        [slice.map((r) => r.portfolioId), slice.map((r) => r.date), jsonArray(slice, (r) => toStoredRisk(r.metrics)), runId],
      );
    }
  }

  async latest(id: PortfolioId, date: CalendarDate | null): Promise<{ calculation_date: CalendarDate; metrics: unknown } | null> {
    const rows = await sqlRows(this.db, 
      `SELECT to_char(calculation_date, 'YYYY-MM-DD') AS calculation_date, metrics FROM portfolio_risk
       WHERE portfolio_id = $1 AND ($2::date IS NULL OR calculation_date = $2) ORDER BY calculation_date DESC LIMIT 1`,
      [id, date],
    );
    return rows[0] ? { calculation_date: rows[0].calculation_date, metrics: fromStoredRisk(rows[0].metrics) } : null;
  }
}
