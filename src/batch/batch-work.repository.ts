import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import type { PortfolioPhase, PortfolioResultView } from './batch.types';

export interface PortfolioFailure {
  portfolioId: PortfolioId;
  phase: string;
  date: CalendarDate;
  error: string;
}

export interface ChunkKey {
  runId: BatchRunId;
  date: CalendarDate;
  phase: PortfolioPhase;
  index: number;
}

/** Chunks of portfolio work and per-portfolio results of a run; all statements are set-based. */
@Injectable()
export class BatchWorkRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Portfolio ids of a run still worth working on (not failed in an earlier phase or date). */
  async pendingPortfolios(runId: BatchRunId): Promise<PortfolioId[]> {
    const rows: Array<{ portfolio_id: string }> = await sqlRows(this.db, 
      `SELECT portfolio_id FROM batch_run_portfolios WHERE batch_run_id = $1 AND status = 'pending' ORDER BY portfolio_id`,
      [runId],
    );
    return rows.map((r) => r.portfolio_id as PortfolioId);
  }

  /** Idempotent: re-creating a phase's chunks after a restart keeps the ones already there. */
  async createChunks(runId: BatchRunId, date: CalendarDate, phase: PortfolioPhase, chunks: PortfolioId[][]): Promise<void> {
    await sqlRows(this.db, 
      `INSERT INTO batch_run_chunks (batch_run_id, calculation_date, phase, chunk_index, portfolio_ids)
       SELECT $1, $2, $3, (t.ord - 1)::int, ARRAY(SELECT jsonb_array_elements_text(t.ids))::uuid[]
       FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(ids, ord)
       ON CONFLICT DO NOTHING`,
      [runId, date, phase, JSON.stringify(chunks)],
    );
  }

  /** Claims a chunk for work (counts the attempt); null when it is done already. */
  async claimChunk(k: ChunkKey): Promise<PortfolioId[] | null> {
    const rows: Array<{ ids: string[] }> = await sqlRows(this.db, 
      `UPDATE batch_run_chunks SET attempts = attempts + 1
       WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3 AND chunk_index = $4 AND status = 'pending'
       RETURNING to_json(portfolio_ids::text[]) AS ids`,
      [k.runId, k.date, k.phase, k.index],
    );
    return rows.length ? (rows[0].ids as PortfolioId[]) : null;
  }

  async completeChunk(k: ChunkKey, processed: number, failures: PortfolioFailure[]): Promise<void> {
    await this.db.transaction(async (em) => {
      if (failures.length) {
        await sqlRows(em, 
          `UPDATE batch_run_portfolios p SET status = 'failed', failed_phase = f.phase, failed_date = f.d, error = f.error, updated_at = now()
           FROM unnest($2::uuid[], $3::text[], $4::date[], $5::text[]) AS f(pid, phase, d, error)
           WHERE p.batch_run_id = $1 AND p.portfolio_id = f.pid AND p.status = 'pending'`,
          [k.runId, failures.map((f) => f.portfolioId), failures.map((f) => f.phase), failures.map((f) => f.date), failures.map((f) => f.error.slice(0, 2000))],
        );
      }
      await sqlRows(em, 
        `UPDATE batch_run_chunks SET status = 'completed', processed = $5, finished_at = now()
         WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3 AND chunk_index = $4`,
        [k.runId, k.date, k.phase, k.index, processed],
      );
    });
  }

  async failChunk(k: ChunkKey, error: string): Promise<void> {
    await sqlRows(this.db, 
      `UPDATE batch_run_chunks SET status = 'failed', error = $5, finished_at = now()
       WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3 AND chunk_index = $4 AND status = 'pending'`,
      [k.runId, k.date, k.phase, k.index, error.slice(0, 2000)],
    );
  }

  /** Progress of a phase's chunks, and whether a cancel was asked (so the coordinator sees it within one poll). */
  async chunkProgress(runId: BatchRunId, date: CalendarDate, phase: PortfolioPhase): Promise<{ total: number; finished: number; processed: number; failedChunk: string | null; cancelRequested: boolean }> {
    const [r]: Array<{ total: number; finished: number; processed: number; failed_error: string | null; cancel_requested: boolean | null }> = await sqlRows(this.db, 
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status <> 'pending')::int AS finished,
         coalesce(sum(processed), 0)::int AS processed, max(error) FILTER (WHERE status = 'failed') AS failed_error,
         (SELECT cancel_requested FROM batch_runs WHERE id = $1) AS cancel_requested
       FROM batch_run_chunks WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3`,
      [runId, date, phase],
    );
    return { total: r.total, finished: r.finished, processed: r.processed, failedChunk: r.failed_error, cancelRequested: r.cancel_requested === true };
  }

  /** At the end of a run: every portfolio not failed is completed. */
  async completeRemaining(runId: BatchRunId): Promise<{ completed: number; failed: number }> {
    await sqlRows(this.db, `UPDATE batch_run_portfolios SET status = 'completed', updated_at = now() WHERE batch_run_id = $1 AND status = 'pending'`, [runId]);
    const [r]: Array<{ completed: number; failed: number }> = await sqlRows(this.db, 
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
