import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { asBatchRunId, asCalendarDate, BatchRunId, CalendarDate, PortfolioId, UserId } from '../common/branded';
import { BatchRunStatus, BatchRunView, BatchTrigger, PhaseName, PhaseView } from './batch.types';

export interface NewBatchRun {
  trigger: BatchTrigger;
  triggeredBy: string;
  portfolioId: PortfolioId | null;
  dates: CalendarDate[];
  startDate: CalendarDate | null;
  endDate: CalendarDate | null;
  force: boolean;
  scheduledDate: CalendarDate | null;
  phases: PhaseView[];
  /** A phase re-run: the one phase worked. */
  phaseFilter?: PhaseName | null;
  /** A phase re-run: the run whose portfolio set is copied. */
  rerunOf?: BatchRunId | null;
}

export type CreateRunResult = { created: BatchRunId } | { conflict: BatchRunId; reason: 'active' | 'scheduled' };

interface RunRow {
  id: string; status: BatchRunStatus; trigger: BatchTrigger; triggered_by: string; portfolio_id: string | null;
  calculation_dates: string[] | string; start_date: string | null; end_date: string | null; force: boolean;
  current_date_index: number; current_phase: PhaseName | null; phases: PhaseView[]; portfolios_total: number;
  market_data_issues: unknown[]; cancel_requested: boolean; error: string | null; created_at: Date;
  started_at: Date | null; finished_at: Date | null; heartbeat_at: Date | null;
  completed_count?: number; failed_count?: number; phase_filter: PhaseName | null; rerun_of: string | null;
}

const ISO = (d: Date | null) => (d ? d.toISOString() : null);
const RUN_COLUMNS = `r.*, to_json(r.calculation_dates::text[]) AS calculation_dates,
  to_char(r.start_date, 'YYYY-MM-DD') AS start_date, to_char(r.end_date, 'YYYY-MM-DD') AS end_date,
  (SELECT count(*) FILTER (WHERE p.status = 'completed') FROM batch_run_portfolios p WHERE p.batch_run_id = r.id)::int AS completed_count,
  (SELECT count(*) FILTER (WHERE p.status = 'failed') FROM batch_run_portfolios p WHERE p.batch_run_id = r.id)::int AS failed_count`;

function toView(r: RunRow): BatchRunView {
  const dates = (typeof r.calculation_dates === 'string' ? JSON.parse(r.calculation_dates) : r.calculation_dates) as string[];
  const final = !['queued', 'running'].includes(r.status);
  return {
    batch_run_id: asBatchRunId(r.id),
    status: r.status,
    trigger: r.trigger,
    triggered_by: r.triggered_by,
    portfolio_id: r.portfolio_id,
    calculation_date: asCalendarDate(dates[dates.length - 1]),
    start_date: r.start_date ? asCalendarDate(r.start_date) : null,
    end_date: r.end_date ? asCalendarDate(r.end_date) : null,
    dates: {
      total: dates.length,
      done: r.status === 'completed' || r.status === 'partial' ? dates.length : Math.min(r.current_date_index, dates.length),
      current: final ? null : asCalendarDate(dates[Math.min(r.current_date_index, dates.length - 1)]),
    },
    current_phase: final ? null : r.current_phase,
    phases: final ? r.phases.map((p) => endedPhase(p, r)) : r.phases,
    portfolios: { total: r.portfolios_total, completed: r.completed_count ?? 0, failed: r.failed_count ?? 0 },
    market_data_issues: r.market_data_issues,
    created_at: r.created_at.toISOString(),
    started_at: ISO(r.started_at),
    finished_at: ISO(r.finished_at),
    heartbeat_at: ISO(r.heartbeat_at),
    error: r.error,
    phase_filter: r.phase_filter ?? null,
    rerun_of: r.rerun_of ? asBatchRunId(r.rerun_of) : null,
  };
}

/**
 * A finished run's phase that was still running when the run ended (a cancel
 * or a failure stops the run in one statement, without touching its phases):
 * it ended as the run did, at the run's end.
 */
function endedPhase(p: PhaseView, r: RunRow): PhaseView {
  if (p.status !== 'running' || (r.status !== 'cancelled' && r.status !== 'failed')) return p;
  return { ...p, status: r.status, finished_at: p.finished_at ?? ISO(r.finished_at) };
}

/** Run state in PostgreSQL: the only source of truth about what is running. */
@Injectable()
export class BatchRunRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Creates a queued run unless one covering the same portfolios is active.
   * The table lock serialises concurrent triggers across every process, so
   * the check and the insert are one atomic step.
   */
  async create(run: NewBatchRun): Promise<CreateRunResult> {
    return this.db.transaction(async (em) => {
      await sqlRows(em, 'LOCK TABLE batch_runs IN SHARE ROW EXCLUSIVE MODE');
      const active: Array<{ id: string }> = await sqlRows(em, 
        `SELECT id FROM batch_runs WHERE status IN ('queued','running')
         AND ($1::uuid IS NULL OR portfolio_id IS NULL OR portfolio_id = $1::uuid) ORDER BY created_at LIMIT 1`,
        [run.portfolioId],
      );
      if (active.length) return { conflict: asBatchRunId(active[0].id), reason: 'active' as const };
      if (run.scheduledDate) {
        const done: Array<{ id: string }> = await sqlRows(em, 
          `SELECT id FROM batch_runs WHERE scheduled_date = $1 AND status NOT IN ('failed','cancelled') LIMIT 1`,
          [run.scheduledDate],
        );
        if (done.length) return { conflict: asBatchRunId(done[0].id), reason: 'scheduled' as const };
      }
      const [row]: Array<{ id: string }> = await sqlRows(em, 
        `INSERT INTO batch_runs (status, trigger, triggered_by, portfolio_id, calculation_dates, start_date, end_date, force, scheduled_date, phases, phase_filter, rerun_of)
         VALUES ('queued', $1, $2, $3, $4::date[], $5, $6, $7, $8, $9::jsonb, $10, $11) RETURNING id`,
        [run.trigger, run.triggeredBy, run.portfolioId, run.dates, run.startDate, run.endDate, run.force, run.scheduledDate, JSON.stringify(run.phases), run.phaseFilter ?? null, run.rerunOf ?? null],
      );
      // a phase re-run covers its source run's portfolios (those still existing); otherwise one or all portfolios
      await sqlRows(em,
        `WITH ins AS (INSERT INTO batch_run_portfolios (batch_run_id, portfolio_id)
           SELECT $1, id FROM portfolios
           WHERE CASE WHEN $3::uuid IS NOT NULL THEN id IN (SELECT portfolio_id FROM batch_run_portfolios WHERE batch_run_id = $3::uuid)
                      ELSE ($2::uuid IS NULL OR id = $2::uuid) END RETURNING 1)
         UPDATE batch_runs SET portfolios_total = (SELECT count(*) FROM ins) WHERE id = $1`,
        [row.id, run.portfolioId, run.rerunOf ?? null],
      );
      return { created: asBatchRunId(row.id) };
    });
  }

  async view(id: BatchRunId): Promise<BatchRunView | null> {
    const rows: RunRow[] = await sqlRows(this.db, `SELECT ${RUN_COLUMNS} FROM batch_runs r WHERE r.id = $1`, [id]);
    return rows.length ? toView(rows[0]) : null;
  }

  /** Views of several runs in one statement (the live-status poller); ids not found are absent. */
  async viewMany(ids: BatchRunId[]): Promise<Map<BatchRunId, BatchRunView>> {
    if (!ids.length) return new Map();
    const rows: RunRow[] = await sqlRows(this.db, `SELECT ${RUN_COLUMNS} FROM batch_runs r WHERE r.id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [asBatchRunId(r.id), toView(r)]));
  }

  async list(filter: { status?: BatchRunStatus; portfolioId?: PortfolioId; limit: number; offset: number }): Promise<{ total: number; runs: BatchRunView[] }> {
    const where = `($1::text IS NULL OR r.status = $1) AND ($2::uuid IS NULL OR r.portfolio_id = $2::uuid OR
      (r.portfolio_id IS NULL AND EXISTS (SELECT 1 FROM batch_run_portfolios p WHERE p.batch_run_id = r.id AND p.portfolio_id = $2::uuid)))`;
    const params = [filter.status ?? null, filter.portfolioId ?? null];
    const rows: RunRow[] = await sqlRows(this.db, 
      `SELECT ${RUN_COLUMNS} FROM batch_runs r WHERE ${where} ORDER BY r.created_at DESC LIMIT $3 OFFSET $4`,
      [...params, filter.limit, filter.offset],
    );
    const [{ n }]: Array<{ n: number }> = await sqlRows(this.db, `SELECT count(*)::int AS n FROM batch_runs r WHERE ${where}`, params);
    return { total: n, runs: rows.map(toView) };
  }

  async active(): Promise<BatchRunView[]> {
    const rows: RunRow[] = await sqlRows(this.db, `SELECT ${RUN_COLUMNS} FROM batch_runs r WHERE r.status IN ('queued','running') ORDER BY r.created_at`);
    return rows.map(toView);
  }

  /** Whether the run's portfolio set contains the portfolio (used for ownership of status reads). */
  async covers(id: BatchRunId, portfolioId: PortfolioId): Promise<boolean> {
    const rows = await sqlRows(this.db, `SELECT 1 FROM batch_run_portfolios WHERE batch_run_id = $1 AND portfolio_id = $2`, [id, portfolioId]);
    return rows.length > 0;
  }

  /** One user's portfolios in each run: how many, how many completed and failed (the viewer's part of a shared run). */
  async ownerCounts(ids: BatchRunId[], userId: UserId): Promise<Map<BatchRunId, { total: number; completed: number; failed: number }>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; total: number; completed: number; failed: number }> = await sqlRows(this.db,
      `SELECT p.batch_run_id AS id, count(*)::int AS total,
         count(*) FILTER (WHERE p.status = 'completed')::int AS completed, count(*) FILTER (WHERE p.status = 'failed')::int AS failed
       FROM batch_run_portfolios p JOIN portfolios o ON o.id = p.portfolio_id
       WHERE p.batch_run_id = ANY($1::uuid[]) AND o.user_id = $2 GROUP BY p.batch_run_id`,
      [ids, userId],
    );
    return new Map(rows.map((r) => [asBatchRunId(r.id), { total: r.total, completed: r.completed, failed: r.failed }]));
  }

  /** The portfolios a run covers. */
  async portfoliosOf(id: BatchRunId): Promise<PortfolioId[]> {
    const rows: Array<{ portfolio_id: string }> = await sqlRows(this.db, `SELECT portfolio_id FROM batch_run_portfolios WHERE batch_run_id = $1 ORDER BY portfolio_id`, [id]);
    return rows.map((r) => r.portfolio_id as PortfolioId);
  }

  /** Symbols and underlyings one user's portfolios hold. */
  async symbolsHeldBy(userId: UserId): Promise<Set<string>> {
    const rows: Array<{ s: string }> = await sqlRows(this.db,
      `SELECT DISTINCT s FROM positions x JOIN portfolios o ON o.id = x.portfolio_id,
         LATERAL (VALUES (x.symbol), (x.underlying_symbol)) v(s) WHERE o.user_id = $1 AND s IS NOT NULL`,
      [userId],
    );
    return new Set(rows.map((r) => r.s));
  }

  /** Moves an active run to its final state; a run already final is left alone. */
  async finish(id: BatchRunId, status: BatchRunStatus, error: string | null): Promise<boolean> {
    const rows = await sqlRows(this.db, 
      `UPDATE batch_runs SET status = $2, error = $3, finished_at = now(), heartbeat_at = now()
       WHERE id = $1 AND status IN ('queued','running') RETURNING id`,
      [id, status, error],
    );
    return rows.length > 0;
  }

  /**
   * Cancels a queued or running run at once: the status moves to `cancelled`
   * in this statement, which fences every later write of the run (chunk
   * completions and step changes check that it is running). A run that ended
   * while the cancel waited for its row (it raced the last chunk) is
   * `raced`: the answer names the final state it reached.
   */
  async requestCancel(id: BatchRunId, by: string): Promise<'cancelled' | 'raced' | 'final' | 'missing'> {
    return this.db.transaction(async (em) => {
      // read without waiting: was it active when the cancel arrived? (the update below may wait for a chunk completion holding the row)
      const before: Array<{ status: BatchRunStatus }> = await sqlRows(em, `SELECT status FROM batch_runs WHERE id = $1`, [id]);
      if (!before.length) return 'missing';
      const rows = await sqlRows(em,
        `UPDATE batch_runs SET cancel_requested = true, status = 'cancelled', finished_at = now(), error = 'cancelled by ' || $2
         WHERE id = $1 AND status IN ('queued','running') RETURNING status`,
        [id, by],
      );
      if (rows.length) return 'cancelled';
      return ['queued', 'running'].includes(before[0].status) ? 'raced' : 'final';
    });
  }

  /** The last scheduled date whose run succeeded (completed or partial). */
  async lastScheduledSuccess(): Promise<CalendarDate | null> {
    const rows: Array<{ d: string | null }> = await sqlRows(this.db, 
      `SELECT to_char(max(scheduled_date), 'YYYY-MM-DD') AS d FROM batch_runs WHERE scheduled_date IS NOT NULL AND status IN ('completed','partial')`,
    );
    return rows[0]?.d ? asCalendarDate(rows[0].d) : null;
  }
}
