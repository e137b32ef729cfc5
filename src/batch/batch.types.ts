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
  status: 'pending' | 'running' | 'completed' | 'failed' | 'skipped';
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
}

export interface PortfolioResultView {
  portfolio_id: string;
  status: 'pending' | 'completed' | 'failed';
  failed_phase: string | null;
  failed_date: string | null;
  error: string | null;
}
