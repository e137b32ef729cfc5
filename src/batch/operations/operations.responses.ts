import { ApiProperty } from '@nestjs/swagger';
import { BATCH_EVENT_KINDS, PHASES } from '../batch.types';

const DATE = { type: 'string', format: 'date', example: '2025-06-02' } as const;
const TIMESTAMP = { type: 'string', format: 'date-time' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;

export class ScheduleResponse {
  @ApiProperty({ type: 'boolean' })
  paused: boolean;

  @ApiProperty({ ...TIMESTAMP, nullable: true, description: 'When the latest pause began' })
  paused_at: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Who paused it last' })
  paused_by: string | null;

  @ApiProperty({ type: 'string', example: '30 18 * * 1-5', description: 'BATCH_CRON' })
  cron: string;

  @ApiProperty({ type: 'string', example: 'America/New_York', description: 'BATCH_TIMEZONE' })
  timezone: string;

  @ApiProperty({ type: 'boolean', description: 'BATCH_CRON_ENABLED' })
  enabled: boolean;

  @ApiProperty({ ...TIMESTAMP, nullable: true, description: 'The next firing of the cron (null when disabled). A firing while paused is skipped.' })
  next_fire_at: string | null;

  @ApiProperty({ ...DATE, nullable: true, description: 'The last date a scheduled run succeeded (the catch-up starts after it)' })
  last_scheduled_date: string | null;

  @ApiProperty({ type: 'array', items: DATE, description: 'Due dates skipped during the latest pause (caught up on resume)' })
  skipped_dates: string[];
}

export class ScheduleUpdateResponse extends ScheduleResponse {
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Resume: the catch-up run started for the skipped dates, if any' })
  catch_up_run_id: string | null;
}

export class RunEventResponse {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;

  @ApiProperty({ type: 'string', format: 'uuid' })
  batch_run_id: string;

  @ApiProperty(TIMESTAMP)
  at: string;

  @ApiProperty({ enum: BATCH_EVENT_KINDS })
  kind: string;

  @ApiProperty({ enum: ['info', 'warn', 'error'] })
  level: string;

  @ApiProperty({ ...DATE, nullable: true })
  calculation_date: string | null;

  @ApiProperty({ enum: PHASES, nullable: true })
  phase: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, nullable: true })
  chunk_index: number | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'host:pid of the process that recorded it' })
  process: string | null;

  @ApiProperty({ type: 'string' })
  message: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  details: Record<string, unknown> | null;
}

export class RunEventPageResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  batch_run_id: string;

  @ApiProperty({ type: [RunEventResponse] })
  events: RunEventResponse[];

  @ApiProperty({ type: 'integer', minimum: 1, nullable: true, description: 'Pass as after_id for the next page; null: this was the last' })
  next_after_id: number | null;
}

export class CoveragePortfolioRef {
  @ApiProperty({ type: 'string', format: 'uuid' })
  portfolio_id: string;

  @ApiProperty({ type: 'string' })
  name: string;
}

export class SymbolCoverageResponse {
  @ApiProperty({ type: 'string' })
  symbol: string;

  @ApiProperty({ ...DATE, nullable: true, description: 'The last close on or before the date; null: none stored' })
  last_price_date: string | null;

  @ApiProperty({ type: 'boolean', description: 'A factor ETF (needed by every risk calculation)' })
  factor: boolean;

  @ApiProperty({ type: [CoveragePortfolioRef], description: 'The portfolios holding it' })
  portfolios: CoveragePortfolioRef[];
}

export class PortfolioCoverageResponse extends CoveragePortfolioRef {
  @ApiProperty({ type: 'array', items: { type: 'string' } })
  missing_symbols: string[];

  @ApiProperty({ type: 'array', items: { type: 'string' } })
  stale_symbols: string[];
}

export class CoverageResponse {
  @ApiProperty(DATE)
  date: string;

  @ApiProperty({ ...COUNT, description: 'A symbol whose last close is more than this many trading days before the date is stale' })
  stale_after_trading_days: number;

  @ApiProperty({ ...DATE, description: 'A last close before this date is stale' })
  stale_before: string;

  @ApiProperty({ ...COUNT, description: 'Distinct symbols checked: holdings (option underlyings) and the factor ETFs' })
  symbols_checked: number;

  @ApiProperty({ type: [SymbolCoverageResponse], description: 'No close on the date; the last one is recent (or there is none)' })
  missing: SymbolCoverageResponse[];

  @ApiProperty({ type: [SymbolCoverageResponse], description: 'No close on the date, and the last one is older than stale_before' })
  stale: SymbolCoverageResponse[];

  @ApiProperty({ type: [PortfolioCoverageResponse], description: 'Portfolios with a missing or stale symbol' })
  portfolios: PortfolioCoverageResponse[];
}
