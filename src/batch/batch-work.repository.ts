import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import type { PortfolioResultView } from './batch.types';

export interface PortfolioFailure {
  portfolioId: PortfolioId;
  phase: string;
  date: CalendarDate;
  error: string;
}

/** Per-portfolio results of a run; all statements are set-based. */
@Injectable()
export class BatchWorkRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Portfolio ids of a run still worth working on (not failed in an earlier phase or date). */
  async pendingPortfolios(em: EntityManager, runId: BatchRunId): Promise<PortfolioId[]> {
    const rows: Array<{ portfolio_id: string }> = await sqlRows(em,
      `SELECT portfolio_id FROM batch_run_portfolios WHERE batch_run_id = $1 AND status = 'pending' ORDER BY portfolio_id`,
      [runId],
    );
    return rows.map((r) => r.portfolio_id as PortfolioId);
  }

  /** Records a chunk's failed portfolios (each moves out of `pending` once). */
  async recordFailures(em: EntityManager, runId: BatchRunId, failures: PortfolioFailure[]): Promise<void> {
    if (!failures.length) return;
    await sqlRows(em,
      `UPDATE batch_run_portfolios p SET status = 'failed', failed_phase = f.phase, failed_date = f.d, error = f.error, updated_at = now()
       FROM unnest($2::uuid[], $3::text[], $4::date[], $5::text[]) AS f(pid, phase, d, error)
       WHERE p.batch_run_id = $1 AND p.portfolio_id = f.pid AND p.status = 'pending'`,
      [runId, failures.map((f) => f.portfolioId), failures.map((f) => f.phase), failures.map((f) => f.date), failures.map((f) => f.error.slice(0, 2000))],
    );
  }

  /** At the end of a run: every portfolio not failed is completed. */
  async completeRemaining(em: EntityManager, runId: BatchRunId): Promise<{ completed: number; failed: number }> {
    await sqlRows(em, `UPDATE batch_run_portfolios SET status = 'completed', updated_at = now() WHERE batch_run_id = $1 AND status = 'pending'`, [runId]);
    const [r]: Array<{ completed: number; failed: number }> = await sqlRows(em,
      `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM batch_run_portfolios WHERE batch_run_id = $1`,
      [runId],
    );
    return r;
  }

  /** Per-portfolio results, failures first. */
  async results(runId: BatchRunId, limit = 1000): Promise<PortfolioResultView[]> {
    return sqlRows(this.db, 
      `SELECT portfolio_id, status, failed_phase, to_char(failed_date, 'YYYY-MM-DD') AS failed_date, error FROM batch_run_portfolios
       WHERE batch_run_id = $1 ORDER BY (status = 'failed') DESC, portfolio_id LIMIT $2`,
      [runId, limit],
    );
  }
}
