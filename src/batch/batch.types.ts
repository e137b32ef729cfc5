import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';

export const BATCH_TRIGGERS = ['user', 'admin', 'schedule', 'cli'] as const;
export type BatchTrigger = (typeof BATCH_TRIGGERS)[number];

export const BATCH_STATUSES = ['queued', 'running', 'completed', 'partial', 'failed', 'cancelled'] as const;
export type BatchRunStatus = (typeof BATCH_STATUSES)[number];
export const ACTIVE_STATUSES: readonly BatchRunStatus[] = ['queued', 'running'];

export const PHASES = ['market_data', 'pnl_snapshots', 'risk_analytics'] as const;
export type PhaseName = (typeof PHASES)[number];
export type PortfolioPhase = Exclude<PhaseName, 'market_data'>;

/**
 * What an entry point (user route, admin route, cron, CLI) asks for. Dates are
 * `CalendarDate` and ids `PortfolioId`: swapping them does not compile.
 */
export interface BatchTriggerFields {
  trigger: BatchTrigger;
  /** Email of the user/admin, or 'scheduler' / 'cli:<os user>'. */
  triggeredBy: string;
  /** Absent: every portfolio. */
  portfolioId?: PortfolioId;
  /** Absent (and no range): the latest completed trading day. */
  calculationDate?: CalendarDate;
  /** Backfill: every trading day in [startDate, endDate], in order. */
  startDate?: CalendarDate;
  endDate?: CalendarDate;
  /** Re-fetch market data already stored for the run's dates. */
  force?: boolean;
  /** Set by the cron only: the trading day this scheduled run is for (unique). */
  scheduledDate?: CalendarDate;
  /** Re-run of one phase: only this phase is worked, the others are `skipped`. */
  onlyPhase?: PhaseName;
  /** The run whose dates and portfolios a phase re-run repeats (its portfolio set is copied). */
  rerunOf?: BatchRunId;
}

declare const sealed: unique symbol;
/**
 * The one request `BatchService.trigger` takes, made only by
 * `batchTriggerRequest()` (src/batch/batch-trigger-request.ts): every entry
 * point builds it the same way, and an object literal does not compile.
 */
export type BatchTriggerRequest = Readonly<BatchTriggerFields> & { readonly [sealed]: 'BatchTriggerRequest' };

export interface PhaseView {
  name: PhaseName;
  /** `cancelled` / `failed`: the phase the run was in when it was cancelled or failed. */
  status: 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';
  started_at: string | null;
  finished_at: string | null;
  done: number;
  total: number;
}

export interface BatchRunView {
  batch_run_id: BatchRunId;
  status: BatchRunStatus;
  trigger: BatchTrigger;
  /** The author's email; for a viewer who is not the author, "admin", "scheduler", "cli" or null. */
  triggered_by: string | null;
  portfolio_id: string | null;
  calculation_date: CalendarDate;
  start_date: CalendarDate | null;
  end_date: CalendarDate | null;
  dates: { total: number; done: number; current: CalendarDate | null };
  current_phase: PhaseName | null;
  phases: PhaseView[];
  portfolios: { total: number; completed: number; failed: number };
  market_data_issues: unknown[];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
  error: string | null;
  /** A phase re-run: the one phase it works (null: every phase). */
  phase_filter: PhaseName | null;
  /** A phase re-run: the run it repeats. */
  rerun_of: BatchRunId | null;
}

export interface PortfolioResultView {
  portfolio_id: string;
  status: 'pending' | 'completed' | 'failed';
  failed_phase: string | null;
  failed_date: string | null;
  error: string | null;
}

/** Kinds of entries in a run's event log (GET /admin/batch/runs/{id}/events). */
export const BATCH_EVENT_KINDS = [
  'run_queued',
  'run_started',
  'run_taken_over',
  'phase_started',
  'phase_completed',
  'phase_failed',
  'chunk_completed',
  'chunk_retried',
  'chunk_taken_over',
  'chunk_failed',
  'portfolio_failed',
  'market_data_issue',
  'cancel_requested',
  'run_finished',
  'error',
] as const;
export type BatchEventKind = (typeof BATCH_EVENT_KINDS)[number];
export type BatchEventLevel = 'info' | 'warn' | 'error';

export interface BatchRunEventInput {
  runId: BatchRunId;
  kind: BatchEventKind;
  level?: BatchEventLevel;
  date?: CalendarDate | null;
  phase?: PhaseName | null;
  chunkIndex?: number | null;
  message: string;
  details?: Record<string, unknown> | null;
}

export interface BatchRunEventView {
  id: number;
  batch_run_id: BatchRunId;
  at: string;
  kind: BatchEventKind;
  level: BatchEventLevel;
  calculation_date: CalendarDate | null;
  phase: PhaseName | null;
  chunk_index: number | null;
  /** The process that recorded it (host:pid). */
  process: string | null;
  message: string;
  details: Record<string, unknown> | null;
}
