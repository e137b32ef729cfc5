import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { asBatchRunId, asCalendarDate, BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import { sqlRows } from '../database/sql';
import type { BatchRunStatus, PhaseName, PhaseView } from './batch.types';

/** A run's durable position and ownership, read under its row lock. */
export interface RunState {
  id: BatchRunId;
  status: BatchRunStatus;
  epoch: number;
  coordinator: string | null;
  dates: CalendarDate[];
  dateIndex: number;
  phase: PhaseName | null;
  phases: PhaseView[];
  filter: PhaseName | null;
  portfolioId: PortfolioId | null;
  force: boolean;
  startedAt: Date | null;
  takeovers: number;
}

interface StateRow {
  id: string; status: BatchRunStatus; epoch: number; coordinator: string | null; dates: string[]; current_date_index: number;
  current_phase: PhaseName | null; phases: PhaseView[]; phase_filter: PhaseName | null; portfolio_id: string | null; force: boolean;
  started_at: Date | null; takeovers: number;
}

const STATE_COLUMNS = `id, status, epoch, coordinator, to_json(calculation_dates::text[]) AS dates, current_date_index, current_phase, phases,
  phase_filter, portfolio_id, force, started_at, takeovers`;

const toState = (r: StateRow): RunState => ({
  id: asBatchRunId(r.id), status: r.status, epoch: r.epoch, coordinator: r.coordinator, dates: r.dates.map(asCalendarDate),
  dateIndex: r.current_date_index, phase: r.current_phase, phases: r.phases, filter: r.phase_filter,
  portfolioId: r.portfolio_id as PortfolioId | null, force: r.force, startedAt: r.started_at, takeovers: r.takeovers,
});

/**
 * Run ownership under a fencing epoch: start, heartbeat, takeover, the step
 * position. Every coordinator write names its epoch (and owner): a
 * coordinator whose run was taken over writes nothing.
 */
@Injectable()
export class RunStateRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** queued → running under a new epoch owned by `owner`; null when the run is no longer queued. */
  async start(id: BatchRunId, owner: string): Promise<RunState | null> {
    const rows: StateRow[] = await sqlRows(this.db,
      `UPDATE batch_runs SET status = 'running', started_at = now(), heartbeat_at = now(), epoch = epoch + 1, coordinator = $2
       WHERE id = $1 AND status = 'queued' RETURNING ${STATE_COLUMNS}`,
      [id, owner],
    );
    return rows.length ? toState(rows[0]) : null;
  }

  /** The run row, locked for the caller's transaction (serialises chunk completions and step changes). */
  async lock(em: EntityManager, id: BatchRunId): Promise<RunState | null> {
    const rows: StateRow[] = await sqlRows(em, `SELECT ${STATE_COLUMNS} FROM batch_runs WHERE id = $1 FOR NO KEY UPDATE`, [id]);
    return rows.length ? toState(rows[0]) : null;
  }

  async read(id: BatchRunId): Promise<RunState | null> {
    const rows: StateRow[] = await sqlRows(this.db, `SELECT ${STATE_COLUMNS} FROM batch_runs WHERE id = $1`, [id]);
    return rows.length ? toState(rows[0]) : null;
  }

  /** Moves the run to a step (inside the caller's transaction, under the row lock). */
  async writeStep(em: EntityManager, id: BatchRunId, dateIndex: number, phase: PhaseName | null, phases: PhaseView[]): Promise<void> {
    await sqlRows(em, `UPDATE batch_runs SET current_date_index = $2, current_phase = $3, phases = $4::jsonb WHERE id = $1`, [id, dateIndex, phase, JSON.stringify(phases)]);
  }

  async writePhases(em: EntityManager, id: BatchRunId, phases: PhaseView[]): Promise<void> {
    await sqlRows(em, `UPDATE batch_runs SET phases = $2::jsonb WHERE id = $1`, [id, JSON.stringify(phases)]);
  }

  /** Progress of the coordinator's own step (market data), fenced by its epoch. */
  async coordinatorProgress(id: BatchRunId, epoch: number, owner: string, phase: PhaseName, done: number, total: number): Promise<boolean> {
    const idx = ['market_data', 'pnl_snapshots', 'risk_analytics'].indexOf(phase);
    const rows = await sqlRows(this.db,
      `UPDATE batch_runs SET phases = jsonb_set(jsonb_set(phases, ARRAY[$5::text, 'done'], to_jsonb($6::int)), ARRAY[$5::text, 'total'], to_jsonb($7::int))
       WHERE id = $1 AND epoch = $2 AND coordinator = $3 AND status = 'running' AND current_phase = $4 RETURNING 1`,
      [id, epoch, owner, phase, String(idx), done, total],
    );
    return rows.length > 0;
  }

  async addMarketDataIssues(em: EntityManager, id: BatchRunId, issues: unknown[]): Promise<void> {
    if (!issues.length) return;
    await sqlRows(em, `UPDATE batch_runs SET market_data_issues = market_data_issues || $2::jsonb WHERE id = $1`, [id, JSON.stringify(issues)]);
  }

  /** Ends a running run (inside the caller's transaction, under the row lock). */
  async finish(em: EntityManager, id: BatchRunId, status: BatchRunStatus, error: string | null, phases: PhaseView[] | null): Promise<boolean> {
    const rows = await sqlRows(em,
      `UPDATE batch_runs SET status = $2, error = $3, finished_at = now(), heartbeat_at = now(), phases = coalesce($4::jsonb, phases)
       WHERE id = $1 AND status = 'running' RETURNING 1`,
      [id, status, error, phases ? JSON.stringify(phases) : null],
    );
    return rows.length > 0;
  }

  /** One heartbeat for every run this process coordinates; answers the ones still running and owned by it. */
  async heartbeat(owner: string, ids: BatchRunId[]): Promise<Map<BatchRunId, number>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; epoch: number }> = await sqlRows(this.db,
      `UPDATE batch_runs SET heartbeat_at = now() WHERE id = ANY($2::uuid[]) AND coordinator = $1 AND status = 'running' RETURNING id, epoch`,
      [owner, ids],
    );
    return new Map(rows.map((r) => [asBatchRunId(r.id), r.epoch]));
  }

  /** Running runs whose coordinator went silent (all running runs when `staleSeconds` is null: the embedded single process at start-up). */
  async stale(staleSeconds: number | null): Promise<Array<{ id: BatchRunId; epoch: number; takeovers: number; coordinator: string | null }>> {
    const rows: Array<{ id: string; epoch: number; takeovers: number; coordinator: string | null }> = await sqlRows(this.db,
      `SELECT id, epoch, takeovers, coordinator FROM batch_runs
       WHERE status = 'running' AND ($1::float8 IS NULL OR heartbeat_at < now() - make_interval(secs => $1::float8)) ORDER BY created_at`,
      [staleSeconds],
    );
    return rows.map((r) => ({ ...r, id: asBatchRunId(r.id) }));
  }

  /**
   * Takes the run over: a new epoch owned by `owner`. Refused (null) when the
   * epoch moved on since `seenEpoch` (another process took it first) or when
   * the run is no longer running.
   */
  async takeOver(id: BatchRunId, seenEpoch: number, owner: string): Promise<RunState | null> {
    const rows: StateRow[] = await sqlRows(this.db,
      `UPDATE batch_runs SET epoch = epoch + 1, coordinator = $3, heartbeat_at = now(), takeovers = takeovers + 1
       WHERE id = $1 AND epoch = $2 AND status = 'running' RETURNING ${STATE_COLUMNS}`,
      [id, seenEpoch, owner],
    );
    return rows.length ? toState(rows[0]) : null;
  }

  /** Shutdown: hands this process's runs over (stale at once, so the next sweep of any live process takes them). */
  async release(owner: string): Promise<BatchRunId[]> {
    const rows: Array<{ id: string }> = await sqlRows(this.db,
      `UPDATE batch_runs SET coordinator = NULL, heartbeat_at = now() - interval '1 day' WHERE coordinator = $1 AND status = 'running' RETURNING id`,
      [owner],
    );
    return rows.map((r) => asBatchRunId(r.id));
  }

  /** Queued runs nothing picked up within `queuedSeconds`: no process can continue them. */
  async abandonQueued(queuedSeconds: number): Promise<BatchRunId[]> {
    const rows: Array<{ id: string }> = await sqlRows(this.db,
      `UPDATE batch_runs SET status = 'failed', finished_at = now(), error = 'abandoned: no worker picked it up'
       WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1) RETURNING id`,
      [queuedSeconds],
    );
    return rows.map((r) => asBatchRunId(r.id));
  }

  /** A running run whose takeovers are exhausted (it keeps killing its coordinators): failed, fenced by the epoch seen. */
  async abandon(id: BatchRunId, seenEpoch: number, error: string): Promise<boolean> {
    const rows = await sqlRows(this.db,
      `UPDATE batch_runs SET status = 'failed', finished_at = now(), error = $3 WHERE id = $1 AND epoch = $2 AND status = 'running' RETURNING 1`,
      [id, seenEpoch, error],
    );
    return rows.length > 0;
  }
}
