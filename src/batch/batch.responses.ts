import { ApiProperty } from '@nestjs/swagger';
import { BATCH_STATUSES, BATCH_TRIGGERS, PHASES } from './batch.types';

const DATE = { type: 'string', format: 'date', example: '2025-06-02' } as const;
const TIMESTAMP = { type: 'string', format: 'date-time' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;

export class PhaseResponse {
  @ApiProperty({ enum: PHASES })
  name: string;

  @ApiProperty({ enum: ['pending', 'running', 'completed', 'failed', 'skipped', 'cancelled'], description: '`cancelled` / `failed`: the phase the run was in when it was cancelled or failed' })
  status: string;

  @ApiProperty({ ...TIMESTAMP, nullable: true })
  started_at: string | null;

  @ApiProperty({ ...TIMESTAMP, nullable: true })
  finished_at: string | null;

  @ApiProperty(COUNT)
  done: number;

  @ApiProperty(COUNT)
  total: number;
}

export class RunDatesResponse {
  @ApiProperty({ ...COUNT, description: 'Trading days the run covers' })
  total: number;

  @ApiProperty(COUNT)
  done: number;

  @ApiProperty({ ...DATE, nullable: true, description: 'The day being worked on' })
  current: string | null;
}

export class RunPortfoliosResponse {
  @ApiProperty(COUNT)
  total: number;

  @ApiProperty(COUNT)
  completed: number;

  @ApiProperty(COUNT)
  failed: number;
}

/** A symbol whose prices could not be had for the run (see PriceIssue). */
export class MarketDataIssueResponse {
  @ApiProperty({ type: 'string' })
  symbol: string;

  @ApiProperty({ type: 'string' })
  message: string;

  @ApiProperty(COUNT)
  missing_dates: number;

  @ApiProperty({ ...DATE, nullable: true })
  first_missing: string | null;

  @ApiProperty({ ...DATE, nullable: true })
  last_missing: string | null;
}

/** The batch-run view (DESIGN §3). */
export class BatchRunResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  batch_run_id: string;

  @ApiProperty({ enum: BATCH_STATUSES })
  status: string;

  @ApiProperty({ enum: BATCH_TRIGGERS })
  trigger: string;

  @ApiProperty({ type: 'string', description: "The user's or admin's email, `scheduler` or `cli:<os user>`" })
  triggered_by: string;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Null: every portfolio' })
  portfolio_id: string | null;

  @ApiProperty({ ...DATE, description: 'The (last) trading day calculated' })
  calculation_date: string;

  @ApiProperty({ ...DATE, nullable: true, description: 'Backfill start' })
  start_date: string | null;

  @ApiProperty({ ...DATE, nullable: true, description: 'Backfill end' })
  end_date: string | null;

  @ApiProperty({ type: RunDatesResponse })
  dates: RunDatesResponse;

  @ApiProperty({ enum: PHASES, nullable: true })
  current_phase: string | null;

  @ApiProperty({ type: [PhaseResponse] })
  phases: PhaseResponse[];

  @ApiProperty({ type: RunPortfoliosResponse })
  portfolios: RunPortfoliosResponse;

  @ApiProperty({ type: [MarketDataIssueResponse] })
  market_data_issues: MarketDataIssueResponse[];

  @ApiProperty(TIMESTAMP)
  created_at: string;

  @ApiProperty({ ...TIMESTAMP, nullable: true })
  started_at: string | null;

  @ApiProperty({ ...TIMESTAMP, nullable: true })
  finished_at: string | null;

  @ApiProperty({ ...TIMESTAMP, nullable: true, description: 'Last sign of life of the process working the run' })
  heartbeat_at: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;

  @ApiProperty({ enum: PHASES, nullable: true, description: 'A phase re-run: the one phase it works (null: every phase)' })
  phase_filter: string | null;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'A phase re-run: the run whose dates and portfolios it repeats' })
  rerun_of: string | null;
}

export class PortfolioResultResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  portfolio_id: string;

  @ApiProperty({ enum: ['pending', 'completed', 'failed'] })
  status: string;

  @ApiProperty({ type: 'string', nullable: true })
  failed_phase: string | null;

  @ApiProperty({ ...DATE, nullable: true })
  failed_date: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;
}

export class BatchRunDetailResponse extends BatchRunResponse {
  @ApiProperty({ type: [PortfolioResultResponse], description: 'Per portfolio, failures first' })
  results: PortfolioResultResponse[];
}

export class CalculateAcceptedResponse {
  @ApiProperty({ enum: ['accepted'] })
  status: 'accepted';

  @ApiProperty({ type: 'string', format: 'uuid' })
  batch_run_id: string;

  @ApiProperty(DATE)
  calculation_date: string;

  @ApiProperty({ type: 'string', pattern: '^/api/v1/portfolio/[0-9a-f-]{36}/batch-status/[0-9a-f-]{36}$' })
  poll_url: string;
}

export class AdminRunStartedResponse {
  @ApiProperty({ enum: ['started'] })
  status: 'started';

  @ApiProperty({ type: 'string', format: 'uuid' })
  batch_run_id: string;

  @ApiProperty({ type: 'string', description: "The admin's email" })
  triggered_by: string;

  @ApiProperty({ type: BatchRunResponse })
  run: BatchRunResponse;
}

export class RunListResponse {
  @ApiProperty(COUNT)
  total: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 200 })
  limit: number;

  @ApiProperty(COUNT)
  offset: number;

  @ApiProperty({ type: [BatchRunResponse] })
  runs: BatchRunResponse[];
}

export class CurrentRunsResponse {
  @ApiProperty({ type: [BatchRunResponse], description: 'Queued and running runs' })
  runs: BatchRunResponse[];
}

const RUN_FIELDS = {
  portfolio_id: { type: 'string', format: 'uuid', description: 'One portfolio; default all' },
  force: { type: 'boolean', default: false, description: 'Re-fetch market data already stored for the run' },
} as const;

/**
 * The admin run body's two exclusive forms (AdminRunDto validates the fields,
 * resolveRunDates rejects a mix with a 400): one date, or a backfill range.
 * No body at all = every portfolio, the latest completed trading day.
 */
export const ADMIN_RUN_BODY_SCHEMA = {
  oneOf: [
    {
      title: 'One date',
      type: 'object',
      additionalProperties: false,
      properties: { ...RUN_FIELDS, calculation_date: { ...DATE, description: 'Default: the latest completed trading day' } },
    },
    {
      title: 'Backfill range',
      type: 'object',
      additionalProperties: false,
      required: ['start_date', 'end_date'],
      properties: {
        ...RUN_FIELDS,
        start_date: { ...DATE, example: '2025-05-01', description: 'Every trading day in [start_date, end_date], in order (at most 260)' },
        end_date: { ...DATE, example: '2025-05-30' },
      },
    },
  ],
};
