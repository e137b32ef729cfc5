import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';

/** Risk records (JSONB): one per portfolio and date, replaced on re-run. */
@Injectable()
export class RiskStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async upsert(rows: Array<{ portfolioId: PortfolioId; date: CalendarDate; metrics: unknown }>, runId: BatchRunId | null): Promise<void> {
    if (!rows.length) return;
    await sqlRows(this.db, 
      `INSERT INTO portfolio_risk (portfolio_id, calculation_date, metrics, batch_run_id)
       SELECT u.pid, u.d, u.m, $4::uuid FROM unnest($1::uuid[], $2::date[], $3::jsonb[]) AS u(pid, d, m)
       ON CONFLICT (portfolio_id, calculation_date) DO UPDATE SET metrics = EXCLUDED.metrics, batch_run_id = EXCLUDED.batch_run_id, created_at = now()`,
      [rows.map((r) => r.portfolioId), rows.map((r) => r.date), rows.map((r) => JSON.stringify(r.metrics)), runId],
    );
  }

  async latest(id: PortfolioId, date: CalendarDate | null): Promise<{ calculation_date: CalendarDate; metrics: unknown } | null> {
    const rows = await sqlRows(this.db, 
      `SELECT to_char(calculation_date, 'YYYY-MM-DD') AS calculation_date, metrics FROM portfolio_risk
       WHERE portfolio_id = $1 AND ($2::date IS NULL OR calculation_date = $2) ORDER BY calculation_date DESC LIMIT 1`,
      [id, date],
    );
    return rows[0] ?? null;
  }
}
