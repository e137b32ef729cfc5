import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { CalendarDate } from '../../common/branded';
import { IsCalendarDate } from '../../common/branded-input';
import { QueryInt } from '../../common/numeric-input';
import { PHASES } from '../batch.types';
import type { PhaseName } from '../batch.types';
import { EVENT_PAGE_DEFAULT, EVENT_PAGE_MAX } from './run-event-log';

export class RerunPhaseDto {
  @ApiProperty({ enum: PHASES, description: 'The one phase to run again, for the run’s dates and portfolios' })
  @IsDefined()
  @IsIn(PHASES)
  phase: PhaseName;
}

export class ScheduleUpdateDto {
  @ApiProperty({ type: 'boolean', description: 'true pauses the nightly schedule; false resumes it (and catches up skipped dates at once)' })
  @IsDefined()
  @IsBoolean()
  paused: boolean;
}

export class CoverageQuery {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2025-06-02', description: 'A trading day, not in the future; default the latest completed one' })
  @IsOptional()
  @IsCalendarDate()
  date?: CalendarDate;
}

export const EVENT_FORMATS = ['json', 'text'] as const;

/** The event log's query; without `format` the route is the live status stream (SSE). */
export class RunEventsQuery {
  @ApiPropertyOptional({ enum: EVENT_FORMATS, description: 'The stored event log: `json` (a page of events) or `text` (one plain line per event). Absent: the live status stream (SSE).' })
  @IsOptional()
  @IsIn(EVENT_FORMATS)
  format?: (typeof EVENT_FORMATS)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Events after this id (paging: `next_after_id` of the previous page)' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after_id?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: EVENT_PAGE_MAX, default: EVENT_PAGE_DEFAULT })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(EVENT_PAGE_MAX)
  limit?: number;
}
